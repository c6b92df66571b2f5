#include "asio_net.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <atomic>
#include <optional>
#include <stop_token>

#include "http_wire.hpp"

namespace concbench {

using namespace http_wire;
using std::chrono::milliseconds;

namespace {

struct AsioConnection final : HttpConnection, Socket {
    using Socket::Socket;
};

/// Whether the connection has a strand of its own: with a timeout, or opened stoppable.
bool has_strand(const AsioConnection& c) {
    return c.timeout.count() != 0 || c.stoppable;
}

/// The bookkeeping of one async operation on a connection with a timeout or a stop token: a
/// timer that closes the socket if it fires first, and a stop callback that does the same on
/// a stop request. The operation's, the timer's and the stop's handlers run on the
/// connection's strand, so none needs a lock; the op is deleted after all of them ran.
template <class Op>
struct Timed {
    /// Called by request_stop() on any thread: posts the close to the strand, holding the op.
    struct Stop {
        Timed* self;
        AsioConnection* c;
        asio::any_io_executor strand;  // copied at arm(): the callback touches nothing of c
        void operator()() const {
            self->pending.fetch_add(1, std::memory_order_relaxed);
            asio::post(strand, [self = self, c = c] {
                if (!self->finished) {
                    self->stopped = true;
                    close(*c);
                }
                self->release();
            });
        }
    };

    std::optional<asio::steady_timer> timer;
    std::optional<std::stop_callback<Stop>> on_stop;
    // Handlers still to run: the operation's, the timer's if armed, a stop's if posted. Atomic
    // because a stop callback counts its handler in from another thread.
    std::atomic<int> pending{1};
    bool finished = false;
    bool expired = false;
    bool stopped = false;

    /// On the strand (if the connection has one), before the operation starts.
    void arm(AsioConnection& c, const std::stop_token& stop = {}) {
        if (c.timeout.count() != 0) {
            timer.emplace(c.socket.get_executor(), c.timeout);
            pending.fetch_add(1, std::memory_order_relaxed);
            timer->async_wait([this, &c](const error_code& ec) {
                if (!ec && !finished) {
                    expired = true;
                    close(c);
                }
                release();
            });
        }
        if (stop.stop_possible()) on_stop.emplace(stop, Stop{this, &c, c.socket.get_executor()});
    }
    /// From the operation's handler: the error to report.
    error_code end(const error_code& ec) {
        finished = true;
        if (timer) timer->cancel();
        // Deregistered here, on the strand: waits for a callback running on another thread,
        // and no stop can post after it, so `pending` only falls from now on.
        on_stop.reset();
        if (stopped) return asio::error::operation_aborted;
        return expired ? error_code(asio::error::timed_out) : ec;
    }
    void release() {
        if (pending.fetch_sub(1, std::memory_order_acq_rel) == 1) delete static_cast<Op*>(this);
    }
    /// Closed, not just cancelled: a composed operation between two of its steps has nothing
    /// to cancel, and its next step must fail at once.
    static void close(AsioConnection& c) {
        error_code ignored;
        c.socket.close(ignored);
    }
};

/// Runs `start` on the connection's strand when it has one (the timer or a stop must not
/// close the socket while another thread is starting an operation on it), else right here.
template <class F>
void start_on(AsioConnection& c, F start) {
    if (!has_strand(c))
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
    std::stop_token stop;
    OpResult<HttpResponse>& out;
    std::coroutine_handle<> h;

    GetOp(AsioConnection& conn, http::request<http::empty_body> r, std::uint64_t max,
          std::stop_token st, OpResult<HttpResponse>& o, std::coroutine_handle<> handle)
        : c(conn), req(std::move(r)), max_body(max), stop(std::move(st)), out(o), h(handle) {}

    void start() {
        arm(c, stop);
        http::async_write(c.socket, req, [this](error_code ec, std::size_t) {
            if (ec) return complete(end(ec));
            read();
        });
    }
    /// Reads a response; after an interim one, the next (within the same timeout).
    void read() {
        http::async_read(c.socket, c.buffer, fresh(parser, max_body),
                         [this](error_code ec, std::size_t) {
                             if (!ec && interim(*parser) && !expired && !stopped)
                                 return read();
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

bool AsioNet::suspend_connect(const Endpoint& ep, milliseconds timeout, Stoppable stoppable,
                              OpResult<std::unique_ptr<HttpConnection>>& out,
                              std::coroutine_handle<> h) {
    // A connection with a timeout or that may be stopped gets a strand of its own; any other
    // the loop's executor.
    const bool may_stop = stoppable == Stoppable::yes;
    const asio::any_io_executor ex = timeout.count() == 0 && !may_stop
                                         ? asio::any_io_executor(ctx_.get_executor())
                                         : asio::any_io_executor(asio::make_strand(ctx_));
    auto* op =
        new ConnectOp(std::make_unique<AsioConnection>(ex, ep, timeout, may_stop), out, h);
    start_on(*op->c, [op] { op->start(); });
    return true;
}

bool AsioNet::suspend_http_get(HttpConnection& conn, const std::string& target, bool keep_alive,
                               std::uint64_t max_body, std::stop_token stop,
                               OpResult<HttpResponse>& out, std::coroutine_handle<> h) {
    auto& c = own<AsioConnection>(conn, "AsioNet");
    check_stoppable(c, stop, "AsioNet");
    if (stop.stop_requested()) {  // stopped before it began: nothing is sent
        out.error = std::make_exception_ptr(request_error(asio::error::operation_aborted, c));
        return false;
    }
    auto* op =
        new GetOp(c, make_request(c, target, keep_alive), max_body, std::move(stop), out, h);
    start_on(c, [op] { op->start(); });
    return true;
}

}  // namespace concbench
