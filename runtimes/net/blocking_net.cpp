#include "blocking_net.hpp"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <optional>

#include "http_wire.hpp"

namespace concbench {

using namespace http_wire;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

struct BlockingConnection final : HttpConnection, Socket {
    using Socket::Socket;
    milliseconds kernel_timeout{0};  // SO_RCVTIMEO / SO_SNDTIMEO as now set
};

error_code set_kernel_timeout(BlockingConnection& c, milliseconds t) {
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
    explicit TimedStream(BlockingConnection& c) : c_(c), deadline_(Clock::now() + c.timeout) {}

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

    BlockingConnection& c_;
    Clock::time_point deadline_;
};

/// What a stop request does to a request in progress: shuts the socket down, from the
/// thread that requested the stop, so that a recv or send blocked on it returns at once (the
/// end of the stream, or EPIPE). It touches only the descriptor, which stays open as long as
/// the callback is registered.
struct ShutDown {
    int fd;
    void operator()() const noexcept { ::shutdown(fd, SHUT_RDWR); }
};

template <class Stream>
HttpResponse exchange(Stream& stream, BlockingConnection& c, const std::string& target,
                      bool keep_alive, std::uint64_t max_body, const std::stop_token& stop) {
    const auto failure = [&](const error_code& ec) {
        // Whatever the socket said after a shutdown, the request ended because it was stopped.
        return stop.stop_requested() ? request_error(asio::error::operation_aborted, c)
                                     : request_error(ec, c, max_body);
    };
    if (stop.stop_requested()) throw failure({});
    std::optional<Parser> parser;
    {
        // Registered only while the request is on the wire: finish() may close the socket,
        // after which its descriptor number may name another file.
        std::optional<std::stop_callback<ShutDown>> on_stop;
        if (stop.stop_possible()) on_stop.emplace(stop, ShutDown{c.socket.native_handle()});
        error_code ec;
        http::write(stream, make_request(c, target, keep_alive), ec);
        if (ec) throw failure(ec);
        // Interim responses have no body; a server sending them forever is a stall, which
        // the connection's timeout (or a stop request) ends like any other.
        for (;;) {
            http::read(stream, c.buffer, fresh(parser, max_body), ec);
            if (ec) throw failure(ec);
            if (!interim(*parser)) break;
        }
    }
    // A stop that came after the last byte may have shut the socket down all the same: the
    // response stands, but the connection is not reused.
    return finish(c, *parser, keep_alive && !stop.stop_requested());
}

}  // namespace

std::unique_ptr<HttpConnection> BlockingNet::blocking_connect(const Endpoint& ep,
                                                              milliseconds timeout,
                                                              Stoppable stoppable) {
    auto c = std::make_unique<BlockingConnection>(sockets_.get_executor(), ep, timeout,
                                                  stoppable == Stoppable::yes);
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

HttpResponse BlockingNet::blocking_get(HttpConnection& conn, const std::string& target,
                                       bool keep_alive, std::uint64_t max_body,
                                       const std::stop_token& stop) {
    auto& c = own<BlockingConnection>(conn, "BlockingNet");
    check_stoppable(c, stop, "BlockingNet");
    if (c.timeout.count() == 0)
        return exchange(c.socket, c, target, keep_alive, max_body, stop);
    TimedStream stream(c);
    return exchange(stream, c, target, keep_alive, max_body, stop);
}

bool BlockingNet::suspend_connect(const Endpoint& ep, milliseconds timeout, Stoppable stoppable,
                                  OpResult<std::unique_ptr<HttpConnection>>& out,
                                  std::coroutine_handle<>) {
    try {
        out.value = blocking_connect(ep, timeout, stoppable);
    } catch (...) {
        out.error = std::current_exception();
    }
    return false;
}

bool BlockingNet::suspend_http_get(HttpConnection& conn, const std::string& target,
                                   bool keep_alive, std::uint64_t max_body,
                                   std::stop_token stop, OpResult<HttpResponse>& out,
                                   std::coroutine_handle<>) {
    try {
        out.value = blocking_get(conn, target, keep_alive, max_body, stop);
    } catch (...) {
        out.error = std::current_exception();
    }
    return false;
}

}  // namespace concbench
