#include "http_server.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <cstdio>
#include <optional>
#include <sstream>
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

/// What a session needs of the server it belongs to.
struct Shared {
    ServerStats& stats;
    FaultInjector& faults;
    std::chrono::milliseconds stall;
};

std::string stats_json(const Shared& s) {
    std::vector<std::string> faults;
    for (Fault f : kFaults)
        faults.push_back(fmt::format("\"{}\":{}", to_string(f), s.faults.injected(f)));
    return fmt::format(
        "{{\"requests\":{},\"in_flight\":{},\"max_in_flight\":{},\"connections\":{},"
        "\"faults\":{{{}}}}}\n",
        s.stats.requests.load(), s.stats.in_flight.load(), s.stats.max_in_flight.load(),
        s.stats.connections.load(), fmt::join(faults, ","));
}

/// Sends the first `n` bytes of `wire`, then a TCP reset (SO_LINGER 0) instead of the rest.
asio::awaitable<void> reset_after(tcp::socket& socket, const std::string& wire, std::size_t n) {
    co_await asio::async_write(socket, asio::buffer(wire.data(), std::min(n, wire.size())),
                               use_tuple);
    boost::system::error_code ec;
    socket.set_option(asio::socket_base::linger(true, 0), ec);
    socket.close(ec);
}

/// The headers of `res` and half its body (half the headers if it has none), then a reset.
asio::awaitable<void> reset_mid_response(tcp::socket& socket,
                                         const http::response<http::string_body>& res) {
    std::ostringstream head;
    head << res.base();
    const std::string headers = head.str();
    const std::size_t cut =
        res.body().empty() ? headers.size() / 2 : headers.size() + res.body().size() / 2;
    co_await reset_after(socket, headers + res.body(), cut);
}

/// Answers nothing until the client closes the connection or `limit` passes.
asio::awaitable<void> stall(tcp::socket& socket, std::chrono::milliseconds limit) {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer timer(socket.get_executor(), limit);
    co_await (timer.async_wait(use_tuple) || socket.async_wait(tcp::socket::wait_read, use_tuple));
}

asio::awaitable<void> session(tcp::socket socket, Shared& s) {
    ++s.stats.connections;
    socket.set_option(tcp::no_delay(true));
    boost::beast::flat_buffer buffer;
    for (;;) {
        http::request<http::string_body> req;
        auto [read_ec, n] = co_await http::async_read(socket, buffer, req, use_tuple);
        if (read_ec) break;  // the client closed, or sent something that is not HTTP
        ++s.stats.requests;
        const std::int64_t now = ++s.stats.in_flight;
        for (auto seen = s.stats.max_in_flight.load();
             now > seen && !s.stats.max_in_flight.compare_exchange_weak(seen, now);) {
        }
        struct InFlight {
            ServerStats& stats;
            ~InFlight() { --stats.in_flight; }
        } in_flight{s.stats};

        Route r = route(req.target());
        if (r.kind == Route::Kind::reset_mid_body) {
            // Headers promising 1000 bytes, 100 of them, then a reset.
            co_await reset_after(
                socket, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + deterministic_body(100),
                std::string::npos);
            co_return;
        }
        const bool faultable = r.kind == Route::Kind::respond && r.status == 200;
        const Fault fault = faultable ? s.faults.next() : Fault::none;
        if (fault == Fault::drop) break;
        if (fault == Fault::stall) {
            co_await stall(socket, s.stall);
            break;
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
        res.body() = r.kind == Route::Kind::stats ? stats_json(s) : std::move(r.body);
        if (fault == Fault::http500) {
            res.result(http::status::internal_server_error);
            res.body() = "injected fault: 500\n";
        }
        res.prepare_payload();
        if (fault == Fault::reset) {
            co_await reset_mid_response(socket, res);
            co_return;
        }
        auto [write_ec, m] = co_await http::async_write(socket, res, use_tuple);
        if (write_ec || !req.keep_alive()) break;
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, Shared& shared) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        if (ec) continue;  // e.g. EMFILE for one connection: keep serving the others
        asio::co_spawn(acceptor.get_executor(), session(std::move(socket), shared), asio::detached);
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
    : opts_(opts),
      faults_(opts.faults, opts.fault_seed),
      ctx_(opts.threads),
      acceptor_(ctx_),
      signals_(ctx_, SIGINT, SIGTERM) {
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
    // Sessions use `shared` only while ctx_ runs; frames left when it stops are destroyed with
    // ctx_, touching nothing but stats_.
    Shared shared{stats_, faults_, opts_.stall};
    asio::co_spawn(ctx_, accept_loop(acceptor_, shared), asio::detached);
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
    if (opts.faults.any())
        fmt::print(stderr, "concbench serve: injecting faults {} (seed {})\n", opts.faults.text(),
                   opts.fault_seed);
    fmt::print("listening on {}\n", Endpoint{addr.to_string(), server->port()}.text());
    std::fflush(stdout);
    server->run();
    return 0;
}

}  // namespace concbench
