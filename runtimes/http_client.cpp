#include "http_client.hpp"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <limits>

namespace concbench::http_client {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

struct SocketConnection final : HttpConnection {
    SocketConnection(asio::io_context& ctx, Endpoint ep) : socket(ctx), endpoint(std::move(ep)) {}
    tcp::socket socket;
    boost::beast::flat_buffer buffer;  // kept between requests: it may hold the next bytes
    Endpoint endpoint;
};

RequestError request_error(const error_code& ec, const Endpoint& ep) {
    std::string what = ec.message();
    if (!what.empty())
        what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    return RequestError(fmt::format("{} ({})", what, ep.text()));
}

tcp::endpoint to_tcp(const Endpoint& ep) {
    return {asio::ip::make_address(ep.host), ep.port};
}

http::request<http::empty_body> make_request(const SocketConnection& c, const std::string& target,
                                             bool keep_alive) {
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, c.endpoint.text());
    req.set(http::field::user_agent, "concbench");
    req.keep_alive(keep_alive);
    return req;
}

using Parser = http::response_parser<http::string_body>;

void lift_body_limit(Parser& parser) {
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // the workload checks sizes
}

HttpResponse finish(SocketConnection& c, http::response<http::string_body> res) {
    if (!res.keep_alive()) {
        error_code ignored;
        c.socket.shutdown(tcp::socket::shutdown_both, ignored);
        c.socket.close(ignored);
    }
    return {res.result_int(), std::move(res.body())};
}

}  // namespace

std::unique_ptr<HttpConnection> connect(asio::io_context& ctx, const Endpoint& ep) {
    auto c = std::make_unique<SocketConnection>(ctx, ep);
    error_code ec;
    c->socket.connect(to_tcp(ep), ec);
    if (!ec) c->socket.set_option(tcp::no_delay(true), ec);
    if (ec) throw request_error(ec, ep);
    return c;
}

HttpResponse get(HttpConnection& conn, const std::string& target, bool keep_alive) {
    auto& c = static_cast<SocketConnection&>(conn);
    error_code ec;
    http::write(c.socket, make_request(c, target, keep_alive), ec);
    if (ec) throw request_error(ec, c.endpoint);
    Parser parser;
    lift_body_limit(parser);
    http::read(c.socket, c.buffer, parser, ec);
    if (ec) throw request_error(ec, c.endpoint);
    return finish(c, parser.release());
}

void async_connect(asio::io_context& ctx, const Endpoint& ep,
                   OpResult<std::unique_ptr<HttpConnection>>& out, std::coroutine_handle<> h) {
    auto* c = new SocketConnection(ctx, ep);
    c->socket.async_connect(to_tcp(ep), [c, &out, h](error_code ec) {
        std::unique_ptr<SocketConnection> owned(c);
        if (!ec) owned->socket.set_option(tcp::no_delay(true), ec);
        if (ec)
            out.error = std::make_exception_ptr(request_error(ec, owned->endpoint));
        else
            out.value = std::move(owned);
        h.resume();
    });
}

namespace {
// The state of one async request: it must outlive the write and the read.
struct GetOp {
    SocketConnection& c;
    http::request<http::empty_body> req;
    Parser parser;
    OpResult<HttpResponse>& out;
    std::coroutine_handle<> h;

    void complete(const error_code& ec) {
        if (ec)
            out.error = std::make_exception_ptr(request_error(ec, c.endpoint));
        else
            out.value = finish(c, parser.release());
        const auto resume = h;
        delete this;
        resume.resume();
    }
};
}  // namespace

void async_get(HttpConnection& conn, const std::string& target, bool keep_alive,
               OpResult<HttpResponse>& out, std::coroutine_handle<> h) {
    auto& c = static_cast<SocketConnection&>(conn);
    auto* op = new GetOp{c, make_request(c, target, keep_alive), {}, out, h};
    lift_body_limit(op->parser);
    http::async_write(c.socket, op->req, [op](error_code ec, std::size_t) {
        if (ec) return op->complete(ec);
        http::async_read(op->c.socket, op->c.buffer, op->parser,
                         [op](error_code ec2, std::size_t) { op->complete(ec2); });
    });
}

}  // namespace concbench::http_client
