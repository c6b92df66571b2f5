#include "http_client.hpp"

#include <fmt/format.h>
#include <sys/socket.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cerrno>
#include <optional>

#include "exhaustion.hpp"

namespace concbench::http_client {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const char* to_string(ErrorKind k) {
    switch (k) {
        case ErrorKind::refused:
            return "refused";
        case ErrorKind::reset:
            return "reset";
        case ErrorKind::closed:
            return "closed";
        case ErrorKind::timeout:
            return "timeout";
        case ErrorKind::resources:
            return "resources";
        case ErrorKind::too_large:
            return "body_too_large";
        case ErrorKind::other:
            return "other";
    }
    return "other";
}

namespace {

struct SocketConnection final : HttpConnection {
    SocketConnection(const asio::any_io_executor& ex, Endpoint ep, milliseconds t)
        : socket(ex), endpoint(std::move(ep)), timeout(t) {}
    tcp::socket socket;
    boost::beast::flat_buffer buffer;  // kept between requests: it may hold the next bytes
    Endpoint endpoint;
    milliseconds timeout;            // of connect and of each request; zero: none
    milliseconds kernel_timeout{0};  // SO_RCVTIMEO / SO_SNDTIMEO as now set (blocking)
};

ErrorKind kind_of(const error_code& ec) {
    if (ec == asio::error::connection_refused) return ErrorKind::refused;
    if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
        ec == asio::error::connection_aborted)
        return ErrorKind::reset;
    if (ec == asio::error::eof || ec == http::error::end_of_stream ||
        ec == http::error::partial_message)
        return ErrorKind::closed;
    if (ec == asio::error::timed_out) return ErrorKind::timeout;
    if (ec == asio::error::no_descriptors || ec == asio::error::no_memory ||
        ec == asio::error::no_buffer_space || ec.value() == ENFILE)
        return ErrorKind::resources;
    if (ec == http::error::body_limit) return ErrorKind::too_large;
    return ErrorKind::other;
}

/// `max_body`: the request's body limit, named when it was passed.
RequestError request_error(const error_code& ec, const SocketConnection& c,
                           std::uint64_t max_body = 0) {
    const ErrorKind kind = kind_of(ec);
    std::string what = ec.message();
    if (!what.empty())
        what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    if (kind == ErrorKind::timeout)
        what = fmt::format("timed out after {} ms", c.timeout.count());
    else if (ec == asio::error::no_descriptors || ec.value() == ENFILE)
        what = open_files_failure(ec.value());
    else if (kind == ErrorKind::too_large)
        what = fmt::format("a body larger than the {} bytes expected", max_body);
    return RequestError(kind, fmt::format("{} ({})", what, c.endpoint.text()));
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

/// A fresh parser for the next response. Its body limit is what keeps a server from making
/// the client hold an arbitrary body: Beast refuses a larger Content-Length before reading
/// any of the body, and a chunked or close-delimited body as soon as it passes the limit.
Parser& fresh(std::optional<Parser>& parser, std::uint64_t max_body) {
    parser.emplace();
    parser->body_limit(max_body);
    return *parser;
}

/// 100 Continue, 102 Processing, 103 Early Hints: a final response follows on the same
/// connection. 101 Switching Protocols is final (it ends HTTP on this connection).
bool interim(const Parser& parser) {
    const unsigned status = parser.get().result_int();
    return status >= 100 && status < 200 && status != 101;
}

/// Honours the response's decision on the connection: Beast's parser keep_alive() is false
/// for `Connection: close`, for HTTP/1.0 without keep-alive and for a body that ends with the
/// connection (need_eof). Such a connection is closed here, so nobody can send on it again.
HttpResponse finish(SocketConnection& c, Parser& parser, bool keep_alive) {
    const bool reusable = keep_alive && parser.keep_alive();
    if (!reusable) {
        error_code ignored;
        c.socket.shutdown(tcp::socket::shutdown_both, ignored);
        c.socket.close(ignored);
    }
    auto res = parser.release();
    return {res.result_int(), std::move(res.body()), reusable};
}

// ---- blocking: socket timeouts -------------------------------------------------------------

error_code set_kernel_timeout(SocketConnection& c, milliseconds t) {
    const timeval tv{static_cast<time_t>(t.count() / 1000),
                     static_cast<suseconds_t>(t.count() % 1000 * 1000)};
    const int fd = c.socket.native_handle();
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)
        return {errno, boost::system::system_category()};
    c.kernel_timeout = t;
    return {};
}

/// A Beast SyncStream for one request on a connection with a timeout. It calls recv and send
/// on the descriptor itself: with SO_RCVTIMEO set they return EAGAIN when the time is up,
/// where Asio's blocking operations would wait again. The kernel timeout is cut to what is
/// left of the request when that is shorter, so the whole request ends by its deadline.
class TimedStream {
  public:
    explicit TimedStream(SocketConnection& c) : c_(c), deadline_(Clock::now() + c.timeout) {}

    template <class Buffers>
    std::size_t read_some(const Buffers& b, error_code& ec) {
        return transfer(b, ec, true);
    }
    template <class Buffers>
    std::size_t write_some(const Buffers& b, error_code& ec) {
        return transfer(b, ec, false);
    }
    template <class Buffers>
    std::size_t read_some(const Buffers& b) {
        return or_throw([&](error_code& ec) { return read_some(b, ec); });
    }
    template <class Buffers>
    std::size_t write_some(const Buffers& b) {
        return or_throw([&](error_code& ec) { return write_some(b, ec); });
    }

  private:
    template <class F>
    static std::size_t or_throw(F f) {
        error_code ec;
        const std::size_t n = f(ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }

    template <class Buffers>
    std::size_t transfer(const Buffers& buffers, error_code& ec, bool reading) {
        ec = {};
        std::array<iovec, 16> iov{};
        std::size_t count = 0, bytes = 0;
        for (auto it = asio::buffer_sequence_begin(buffers);
             it != asio::buffer_sequence_end(buffers) && count < iov.size(); ++it) {
            const auto buf = *it;
            iov[count++] = {const_cast<void*>(static_cast<const void*>(buf.data())), buf.size()};
            bytes += buf.size();
        }
        if (bytes == 0) return 0;
        msghdr msg{};
        msg.msg_iov = iov.data();
        msg.msg_iovlen = count;
        const int fd = c_.socket.native_handle();
        for (bool woke_early = false;;) {
            const auto left = std::chrono::ceil<milliseconds>(deadline_ - Clock::now());
            if (left.count() <= 0) {
                ec = asio::error::timed_out;
                return 0;
            }
            if ((left < c_.kernel_timeout || woke_early) && (ec = set_kernel_timeout(c_, left)))
                return 0;
            const ssize_t n = reading ? recvmsg(fd, &msg, 0) : sendmsg(fd, &msg, MSG_NOSIGNAL);
            if (n > 0) return static_cast<std::size_t>(n);
            if (n == 0) {
                ec = asio::error::eof;
                return 0;
            }
            // EAGAIN: the kernel timeout passed. If the request has time left (the timeout was
            // cut short for an earlier request), wait again for the rest of it.
            woke_early = errno == EAGAIN || errno == EWOULDBLOCK;
            if (!woke_early && errno != EINTR) {
                ec = error_code(errno, boost::system::system_category());
                return 0;
            }
        }
    }

    SocketConnection& c_;
    Clock::time_point deadline_;
};

template <class Stream>
HttpResponse exchange(Stream& stream, SocketConnection& c, const std::string& target,
                      bool keep_alive, std::uint64_t max_body) {
    error_code ec;
    http::write(stream, make_request(c, target, keep_alive), ec);
    if (ec) throw request_error(ec, c);
    // Interim responses have no body; a server sending them forever is a stall, which the
    // connection's timeout ends like any other.
    for (std::optional<Parser> parser;;) {
        http::read(stream, c.buffer, fresh(parser, max_body), ec);
        if (ec) throw request_error(ec, c, max_body);
        if (!interim(*parser)) return finish(c, *parser, keep_alive);
    }
}

}  // namespace

std::unique_ptr<HttpConnection> connect(asio::io_context& ctx, const Endpoint& ep,
                                        milliseconds timeout) {
    auto c = std::make_unique<SocketConnection>(ctx.get_executor(), ep, timeout);
    const tcp::endpoint dest = to_tcp(ep);
    error_code ec;
    if (timeout.count() == 0) {
        c->socket.connect(dest, ec);
    } else {
        // With SO_SNDTIMEO set, a connect that takes too long returns EINPROGRESS.
        c->socket.open(dest.protocol(), ec);
        if (!ec) ec = set_kernel_timeout(*c, timeout);
        if (!ec && ::connect(c->socket.native_handle(), dest.data(), dest.size()) != 0)
            ec = errno == EINPROGRESS ? error_code(asio::error::timed_out)
                                      : error_code(errno, boost::system::system_category());
    }
    if (!ec) c->socket.set_option(tcp::no_delay(true), ec);
    if (ec) throw request_error(ec, *c);
    return c;
}

HttpResponse get(HttpConnection& conn, const std::string& target, bool keep_alive,
                 std::uint64_t max_body) {
    auto& c = static_cast<SocketConnection&>(conn);
    if (c.timeout.count() == 0) return exchange(c.socket, c, target, keep_alive, max_body);
    TimedStream stream(c);
    return exchange(stream, c, target, keep_alive, max_body);
}

// ---- async: a timer races each operation ---------------------------------------------------

namespace {

/// The bookkeeping of one async operation on a connection with a timeout: a timer that
/// closes the socket if it fires first. The operation's and the timer's handlers run on
/// the connection's strand, so neither needs a lock; the op is deleted after both ran.
template <class Op>
struct Timed {
    std::optional<asio::steady_timer> timer;
    int pending = 1;  // handlers still to run: the operation's, and the timer's if armed
    bool finished = false;
    bool expired = false;

    void arm(SocketConnection& c) {
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
void start_on(SocketConnection& c, F start) {
    if (c.timeout.count() == 0)
        start();
    else
        asio::dispatch(c.socket.get_executor(), std::move(start));
}

struct ConnectOp : Timed<ConnectOp> {
    std::unique_ptr<SocketConnection> c;
    OpResult<std::unique_ptr<HttpConnection>>& out;
    std::coroutine_handle<> h;

    ConnectOp(std::unique_ptr<SocketConnection> conn, OpResult<std::unique_ptr<HttpConnection>>& o,
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
    SocketConnection& c;
    http::request<http::empty_body> req;
    std::uint64_t max_body;
    std::optional<Parser> parser;
    OpResult<HttpResponse>& out;
    std::coroutine_handle<> h;

    GetOp(SocketConnection& conn, http::request<http::empty_body> r, std::uint64_t max,
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

void async_connect(asio::io_context& ctx, const Endpoint& ep, milliseconds timeout,
                   OpResult<std::unique_ptr<HttpConnection>>& out, std::coroutine_handle<> h) {
    // A connection with a timeout gets a strand of its own; without, the loop's executor.
    const asio::any_io_executor ex = timeout.count() == 0
                                         ? asio::any_io_executor(ctx.get_executor())
                                         : asio::any_io_executor(asio::make_strand(ctx));
    auto* op = new ConnectOp(std::make_unique<SocketConnection>(ex, ep, timeout), out, h);
    start_on(*op->c, [op] { op->start(); });
}

void async_get(HttpConnection& conn, const std::string& target, bool keep_alive,
               std::uint64_t max_body, OpResult<HttpResponse>& out, std::coroutine_handle<> h) {
    auto& c = static_cast<SocketConnection&>(conn);
    auto* op = new GetOp(c, make_request(c, target, keep_alive), max_body, out, h);
    start_on(c, [op] { op->start(); });
}

}  // namespace concbench::http_client
