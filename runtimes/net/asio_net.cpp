#include "asio_net.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <optional>

#include "http_wire.hpp"

namespace concbench {

using namespace http_wire;
using std::chrono::milliseconds;

namespace {

struct AsioConnection final : HttpConnection, Socket {
    using Socket::Socket;
};

/// The bookkeeping of one async operation on a connection with a timeout: a timer that
/// closes the socket if it fires first. The operation's and the timer's handlers run on
/// the connection's strand, so neither needs a lock; the op is deleted after both ran.
template <class Op>
struct Timed {
    std::optional<asio::steady_timer> timer;
    int pending = 1;  // handlers still to run: the operation's, and the timer's if armed
    bool finished = false;
    bool expired = false;

    void arm(AsioConnection& c) {
        if (c.timeout.count() == 0) return;
        timer.emplace(c.socket.get_executor(), c.timeout);
        ++pending;
        timer->async_wait([this, &c](const error_code& ec) {
            if (!ec && !finished) {
                expired = true;
                // Closed, not just cancelled: a composed operation between two of its steps
                // has nothing to cancel, and its next step must fail at once.
                error_code ignored;
                c.socket.close(ignored);
            }
            release();
        });
    }
    /// From the operation's handler: the error to report.
    error_code end(const error_code& ec) {
        finished = true;
        if (timer) timer->cancel();
        return expired ? error_code(asio::error::timed_out) : ec;
    }
    void release() {
        if (--pending == 0) delete static_cast<Op*>(this);
    }
};

/// Runs `start` on the connection's strand when it has a timeout (the timer must not cancel
/// the socket while another thread is starting an operation on it), else right here.
template <class F>
void start_on(AsioConnection& c, F start) {
    if (c.timeout.count() == 0)
        start();
    else
        asio::dispatch(c.socket.get_executor(), std::move(start));
}

struct ConnectOp : Timed<ConnectOp> {
    std::unique_ptr<AsioConnection> c;
    OpResult<std::unique_ptr<HttpConnection>>& out;
    std::coroutine_handle<> h;

    ConnectOp(std::unique_ptr<AsioConnection> conn, OpResult<std::unique_ptr<HttpConnection>>& o,
              std::coroutine_handle<> handle)
        : c(std::move(conn)), out(o), h(handle) {}

    void start() {
        arm(*c);
        c->socket.async_connect(to_tcp(c->endpoint), [this](error_code ec) { complete(end(ec)); });
    }
    void complete(error_code ec) {
        if (!ec) c->socket.set_option(tcp::no_delay(true), ec);
        if (ec)
            out.error = std::make_exception_ptr(request_error(ec, *c));
        else
            out.value = std::move(c);
        const auto resume = h;
        release();
        resume.resume();
    }
};

// The state of one async request: it must outlive the write and the read.
struct GetOp : Timed<GetOp> {
    AsioConnection& c;
    http::request<http::empty_body> req;
    std::uint64_t max_body;
    std::optional<Parser> parser;
    OpResult<HttpResponse>& out;
    std::coroutine_handle<> h;

    GetOp(AsioConnection& conn, http::request<http::empty_body> r, std::uint64_t max,
          OpResult<HttpResponse>& o, std::coroutine_handle<> handle)
        : c(conn), req(std::move(r)), max_body(max), out(o), h(handle) {}

    void start() {
        arm(c);
        http::async_write(c.socket, req, [this](error_code ec, std::size_t) {
            if (ec) return complete(end(ec));
            read();
        });
    }
    /// Reads a response; after an interim one, the next (within the same timeout).
    void read() {
        http::async_read(c.socket, c.buffer, fresh(parser, max_body),
                         [this](error_code ec, std::size_t) {
                             if (!ec && interim(*parser) && !expired) return read();
                             complete(end(ec));
                         });
    }
    void complete(const error_code& ec) {
        if (ec)
            out.error = std::make_exception_ptr(request_error(ec, c, max_body));
        else
            out.value = finish(c, *parser, req.keep_alive());
        const auto resume = h;
        release();
        resume.resume();
    }
};

}  // namespace

bool AsioNet::suspend_connect(const Endpoint& ep, milliseconds timeout,
                              OpResult<std::unique_ptr<HttpConnection>>& out,
                              std::coroutine_handle<> h) {
    // A connection with a timeout gets a strand of its own; without, the loop's executor.
    const asio::any_io_executor ex = timeout.count() == 0
                                         ? asio::any_io_executor(ctx_.get_executor())
                                         : asio::any_io_executor(asio::make_strand(ctx_));
    auto* op = new ConnectOp(std::make_unique<AsioConnection>(ex, ep, timeout), out, h);
    start_on(*op->c, [op] { op->start(); });
    return true;
}

bool AsioNet::suspend_http_get(HttpConnection& conn, const std::string& target, bool keep_alive,
                               std::uint64_t max_body, OpResult<HttpResponse>& out,
                               std::coroutine_handle<> h) {
    auto& c = own<AsioConnection>(conn, "AsioNet");
    auto* op = new GetOp(c, make_request(c, target, keep_alive), max_body, out, h);
    start_on(c, [op] { op->start(); });
    return true;
}

}  // namespace concbench
