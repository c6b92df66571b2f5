#include "http_server.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

#include "http.hpp"
#include "http_routes.hpp"
#include "usage_error.hpp"

namespace concbench {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string stats_json(const ServerStats& s) {
    return fmt::format(
        "{{\"requests\":{},\"in_flight\":{},\"max_in_flight\":{},\"connections\":{}}}\n",
        s.requests.load(), s.in_flight.load(), s.max_in_flight.load(), s.connections.load());
}

/// Headers promising 1000 bytes, 100 of them, then a TCP reset (SO_LINGER 0).
asio::awaitable<void> reset_mid_body(tcp::socket& socket) {
    const std::string partial =
        "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + deterministic_body(100);
    co_await asio::async_write(socket, asio::buffer(partial), use_tuple);
    boost::system::error_code ec;
    socket.set_option(asio::socket_base::linger(true, 0), ec);
    socket.close(ec);
}

asio::awaitable<void> session(tcp::socket socket, ServerStats& stats) {
    ++stats.connections;
    socket.set_option(tcp::no_delay(true));
    boost::beast::flat_buffer buffer;
    for (;;) {
        http::request<http::string_body> req;
        auto [read_ec, n] = co_await http::async_read(socket, buffer, req, use_tuple);
        if (read_ec) break;  // the client closed, or sent something that is not HTTP
        ++stats.requests;
        const std::int64_t now = ++stats.in_flight;
        for (auto seen = stats.max_in_flight.load();
             now > seen && !stats.max_in_flight.compare_exchange_weak(seen, now);) {
        }
        Route r = route(req.target());
        if (r.kind == Route::Kind::reset_mid_body) {
            co_await reset_mid_body(socket);
            --stats.in_flight;
            co_return;
        }
        if (r.delay.count() > 0) {
            asio::steady_timer timer(socket.get_executor(), r.delay);
            co_await timer.async_wait(use_tuple);
        }
        http::response<http::string_body> res{static_cast<http::status>(r.status), req.version()};
        res.set(http::field::server, "concbench");
        res.set(http::field::content_type,
                r.kind == Route::Kind::stats ? "application/json" : "text/plain");
        res.keep_alive(req.keep_alive());
        res.body() = r.kind == Route::Kind::stats ? stats_json(stats) : std::move(r.body);
        res.prepare_payload();
        auto [write_ec, m] = co_await http::async_write(socket, res, use_tuple);
        --stats.in_flight;
        if (write_ec || !req.keep_alive()) break;
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, ServerStats& stats) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        if (ec) continue;  // e.g. EMFILE for one connection: keep serving the others
        asio::co_spawn(acceptor.get_executor(), session(std::move(socket), stats), asio::detached);
    }
}

/// Many concurrent clients need many descriptors: take the hard limit.
void raise_open_files_limit() {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
}

}  // namespace

HttpServer::HttpServer(const ServerOptions& opts)
    : opts_(opts), ctx_(opts.threads), acceptor_(ctx_), signals_(ctx_, SIGINT, SIGTERM) {
    // Handled from here on, before anyone learns the address and might signal.
    signals_.async_wait([this](const boost::system::error_code& ec, int) {
        if (!ec) stop();
    });
    const tcp::endpoint ep(asio::ip::make_address(opts.bind), opts.port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
}

void HttpServer::run() {
    asio::co_spawn(ctx_, accept_loop(acceptor_, stats_), asio::detached);
    std::vector<std::thread> helpers;
    for (int t = 1; t < opts_.threads; ++t) helpers.emplace_back([this] { ctx_.run(); });
    ctx_.run();
    for (auto& t : helpers) t.join();
}

void HttpServer::stop() {
    ctx_.stop();
}

int serve_main(const ServerOptions& opts) {
    boost::system::error_code ec;
    const auto addr = asio::ip::make_address(opts.bind, ec);
    if (ec || !addr.is_loopback())
        throw UsageError(
            fmt::format("--bind {}: the server listens on loopback only (e.g. "
                        "127.0.0.1 or ::1)",
                        opts.bind));
    if (opts.threads < 1 || opts.threads > 1024)
        throw UsageError(
            fmt::format("--threads {} is out of range: valid is 1..1024", opts.threads));
    raise_open_files_limit();
    std::signal(SIGPIPE, SIG_IGN);  // a harness that stopped reading must not kill the server
    std::optional<HttpServer> server;
    try {
        server.emplace(opts);
    } catch (const boost::system::system_error& e) {
        fmt::print(stderr, "concbench: error: cannot listen on {}:{}: {}\n", opts.bind, opts.port,
                   e.code().message());
        return 1;
    }
    fmt::print("listening on {}\n", Endpoint{addr.to_string(), server->port()}.text());
    std::fflush(stdout);
    server->run();
    return 0;
}

}  // namespace concbench
