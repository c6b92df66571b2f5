#include "http_server.hpp"

#include <fmt/format.h>

#include <array>
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
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "http.hpp"
#include "http_routes.hpp"
#include "limits.hpp"
#include "listening_line.hpp"
#include "server_option_error.hpp"

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

using error_code = boost::system::error_code;

/// Bodies are sent in chunks of this size at most: what a connection's answer costs the
/// server, whatever size the body is.
constexpr std::size_t kChunk = 64 << 10;

/// `n` deterministic_body bytes starting at byte `offset`: a view of one pattern shared by
/// every connection, since byte k is a function of k % 26 alone.
std::string_view generated_bytes(std::uint64_t offset, std::size_t n) {
    static const std::string pattern = deterministic_body(kChunk + 26);
    return std::string_view(pattern).substr(offset % 26, n);
}

/// An answer ready to send: its head serialized, its body as text or generated.
struct Reply {
    std::string head;             // the status line and fields, through the empty line
    std::string text;             // a short body, or
    std::uint64_t generated = 0;  // this many deterministic_body bytes
    bool head_only = false;       // HEAD: Content-Length says what GET would send; no body
    bool keep_alive = false;

    std::uint64_t body_size() const { return head_only ? 0 : text.size() + generated; }
    /// The body's next bytes from `offset`, at most kChunk.
    std::string_view piece(std::uint64_t offset) const {
        if (!text.empty()) return std::string_view(text).substr(offset, kChunk);
        return generated_bytes(
            offset, static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, generated - offset)));
    }
};

Reply make_reply(const Route& r, const http::request<http::string_body>& req, const Shared& s,
                 Fault fault) {
    http::response<http::empty_body> res{static_cast<http::status>(r.status), req.version()};
    res.set(http::field::server, "concbench");
    res.set(http::field::content_type,
            r.kind == Route::Kind::stats ? "application/json" : "text/plain");
    if (!r.allow.empty()) res.set(http::field::allow, r.allow);
    res.keep_alive(req.keep_alive());
    Reply out;
    out.text = r.kind == Route::Kind::stats ? stats_json(s) : r.body;
    out.generated = r.bytes;
    if (fault == Fault::http500) {
        res.result(http::status::internal_server_error);
        out.text = "injected fault: 500\n";
        out.generated = 0;
    }
    res.content_length(out.text.size() + out.generated);
    out.head_only = req.method() == http::verb::head;
    out.keep_alive = req.keep_alive();
    std::ostringstream head;
    head << res.base();
    out.head = head.str();
    return out;
}

/// Writes at most `left` bytes of `first` and then `second` in one gathered write (a small
/// answer goes out in one segment), and counts them off `left`.
asio::awaitable<error_code> write_capped(tcp::socket& socket, std::string_view first,
                                         std::string_view second, std::uint64_t& left) {
    std::array<asio::const_buffer, 2> buffers;
    std::size_t total = 0;
    for (std::size_t i = 0; i < 2; ++i) {
        const std::string_view part = i == 0 ? first : second;
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(part.size(), left));
        left -= n;
        total += n;
        buffers[i] = asio::buffer(part.data(), n);
    }
    if (total == 0) co_return error_code{};
    auto [ec, written] = co_await asio::async_write(socket, buffers, use_tuple);
    co_return ec;
}

/// Sends `reply`, the body chunk by chunk, so that a slow reader holds up one chunk, not the
/// body. Stops after `limit` bytes of the whole when a fault cuts the answer short.
asio::awaitable<error_code> send(tcp::socket& socket, const Reply& reply, std::uint64_t limit) {
    std::uint64_t left = limit, offset = 0;
    const std::uint64_t size = reply.body_size();
    std::string_view head = reply.head;
    error_code ec;
    do {
        const std::string_view piece = offset < size ? reply.piece(offset) : std::string_view{};
        ec = co_await write_capped(socket, head, piece, left);
        head = {};
        offset += piece.size();
    } while (!ec && offset < size && left > 0);
    co_return ec;
}

/// Sends the first `n` bytes of `reply`, then a TCP reset (SO_LINGER 0) instead of the rest.
asio::awaitable<void> reset_after(tcp::socket& socket, const Reply& reply, std::uint64_t n) {
    co_await send(socket, reply, n);
    error_code ec;
    socket.set_option(asio::socket_base::linger(true, 0), ec);
    socket.close(ec);
}

/// The headers of `reply` and half its body (half the headers if it has none), then a reset.
asio::awaitable<void> reset_mid_response(tcp::socket& socket, const Reply& reply) {
    const std::uint64_t body = reply.body_size();
    co_await reset_after(socket, reply,
                         body == 0 ? reply.head.size() / 2 : reply.head.size() + body / 2);
}

/// Answers nothing until the client closes the connection or `limit` passes.
asio::awaitable<void> stall(tcp::socket& socket, std::chrono::milliseconds limit) {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer timer(socket.get_executor(), limit);
    co_await (timer.async_wait(use_tuple) || socket.async_wait(tcp::socket::wait_read, use_tuple));
}

/// Counts a request in flight for as long as it lives.
struct InFlight {
    explicit InFlight(ServerStats& s) : stats(s) {
        const std::int64_t now = ++stats.in_flight;
        for (auto seen = stats.max_in_flight.load();
             now > seen && !stats.max_in_flight.compare_exchange_weak(seen, now);) {
        }
    }
    ~InFlight() { --stats.in_flight; }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
    ServerStats& stats;
};

/// Answers one request; false when the connection is to end.
asio::awaitable<bool> answer(tcp::socket& socket, const http::request<http::string_body>& req,
                             Shared& s) {
    ++s.stats.requests;
    InFlight in_flight(s.stats);
    const Route r = route(req.method_string(), req.target());
    if (r.kind == Route::Kind::reset_mid_body) {
        // Headers promising 1000 bytes, 100 of them, then a reset.
        Reply reply{"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", deterministic_body(100)};
        co_await reset_after(socket, reply, std::numeric_limits<std::uint64_t>::max());
        co_return false;
    }
    const bool faultable = r.kind == Route::Kind::respond && r.status == 200;
    const Fault fault = faultable ? s.faults.next() : Fault::none;
    if (fault == Fault::drop) co_return false;
    if (fault == Fault::stall) {
        co_await stall(socket, s.stall);
        co_return false;
    }
    if (r.delay.count() > 0) {
        asio::steady_timer timer(socket.get_executor(), r.delay);
        co_await timer.async_wait(use_tuple);
    }
    const Reply reply = make_reply(r, req, s, fault);
    if (fault == Fault::reset) {
        co_await reset_mid_response(socket, reply);
        co_return false;
    }
    const error_code ec = co_await send(socket, reply, std::numeric_limits<std::uint64_t>::max());
    co_return !ec && reply.keep_alive;
}

asio::awaitable<void> session(tcp::socket socket, Shared& s) {
    ++s.stats.connections;
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    boost::beast::flat_buffer buffer;
    for (bool more = true; more;) {
        http::request<http::string_body> req;
        auto [read_ec, n] = co_await http::async_read(socket, buffer, req, use_tuple);
        if (read_ec) break;  // the client closed, or sent something that is not HTTP
        more = co_await answer(socket, req, s);
    }
    socket.shutdown(tcp::socket::shutdown_send, ignored);
}

/// Errors after which accept fails again at once until something is released: the
/// connection waits in the backlog and the loop would spin on it.
bool out_of_resources(const error_code& ec) {
    return ec == asio::error::no_descriptors || ec.value() == ENFILE ||
           ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, Shared& shared) {
    using Clock = std::chrono::steady_clock;
    // Out of descriptors, the server pauses accepting (its open connections go on) and says
    // so on stderr at most once a second; it accepts again once descriptors are free.
    constexpr auto kBackoff = std::chrono::milliseconds(50);
    Clock::time_point last_said{};
    std::uint64_t failed = 0;  // failed accepts not yet reported
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        if (out_of_resources(ec)) {
            ++failed;
            if (Clock::now() - last_said >= std::chrono::seconds(1)) {
                fmt::print(stderr,
                           "concbench serve: cannot accept a connection: {} ({} times since the "
                           "last report); pausing {} ms between tries\n",
                           ec.message(), failed, kBackoff.count());
                last_said = Clock::now();
                failed = 0;
            }
            asio::steady_timer pause(acceptor.get_executor(), kBackoff);
            co_await pause.async_wait(use_tuple);
            continue;
        }
        if (ec) continue;  // e.g. the client gave up before the accept: serve the others
        asio::co_spawn(acceptor.get_executor(), session(std::move(socket), shared), asio::detached);
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

int run_server(const ServerOptions& opts) {
    boost::system::error_code ec;
    const auto addr = asio::ip::make_address(opts.bind, ec);
    if (ec || !addr.is_loopback())
        throw ServerOptionError(
            fmt::format("--bind {}: the server listens on loopback only (e.g. "
                        "127.0.0.1 or ::1)",
                        opts.bind));
    if (opts.threads < 1 || opts.threads > 1024)
        throw ServerOptionError(
            fmt::format("--threads {} is out of range: valid is 1..1024", opts.threads));
    raise_open_files();  // many concurrent clients need many descriptors
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
    fmt::print("{}", listening_line(Endpoint{addr.to_string(), server->port()}.text()));
    std::fflush(stdout);
    server->run();
    return 0;
}

}  // namespace concbench
