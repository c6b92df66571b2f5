// Net: the network operations a workload may wait on, reached by `io.net()`.
//
// The same shape as Io (io.hpp): each operation is an awaitable that calls one hook from
// await_suspend. A blocking Net finishes the operation there and returns false; an async one
// starts it, returns true, and resumes the coroutine from its completion handler.
//
// A connection belongs to the Net that made it: passing it to another Net is a programming
// error (each Net refuses a connection it did not make with std::logic_error).
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <utility>

#include "http.hpp"
#include "op_result.hpp"
#include "request_error.hpp"

namespace concbench {

/// Whether the requests on a connection may be stopped (http_get with a stop token). An
/// async backend gives such a connection a strand, so that a stop request from any thread
/// reaches the socket in turn with its operations; the others pay nothing for it.
enum class Stoppable { no, yes };

class Net {
  public:
    virtual ~Net() = default;

    /// Opens a TCP connection to `ep`. `timeout` (zero: none) bounds the connect and each
    /// request on the connection, in the backend's own way. Throws RequestError on failure.
    /// The connect itself cannot be stopped (on loopback it does not wait).
    [[nodiscard]] auto connect(Endpoint ep, std::chrono::milliseconds timeout = {},
                               Stoppable stoppable = Stoppable::no) {
        return ConnectAwaitable{*this, std::move(ep), timeout, stoppable, {}};
    }

    /// Sends GET `target` on `conn` and reads the whole response, skipping interim (1xx)
    /// ones. The connection is closed afterwards unless the response says it is reusable
    /// (never with keep_alive false). A body over `max_body` bytes is not read: it fails with
    /// kind too_large. Throws RequestError on failure (its kind is timeout when the
    /// connection's timeout passed).
    [[nodiscard]] auto http_get(HttpConnection& conn, std::string target, bool keep_alive,
                                std::uint64_t max_body = kDefaultMaxBody) {
        return GetAwaitable{*this, conn, std::move(target), keep_alive, max_body, {}, {}};
    }

    /// http_get() that a stop request on `stop` ends, from any thread, before or while it
    /// waits: it then throws RequestError of kind cancelled, and the connection is closed (a
    /// blocking backend shuts the socket down from the requesting thread, which wakes the
    /// blocked read; an async one closes it on the connection's strand). `conn` must have
    /// been opened with Stoppable::yes, else std::logic_error.
    [[nodiscard]] auto http_get(HttpConnection& conn, std::string target, bool keep_alive,
                                std::uint64_t max_body, std::stop_token stop) {
        return GetAwaitable{*this, conn, std::move(target), keep_alive, max_body, std::move(stop),
                            {}};
    }

  protected:
    // Backend hooks. Each either finishes the operation on the calling thread and returns
    // false, or returns true and later resumes `h` on one of the backend's threads.
    virtual bool suspend_connect(const Endpoint& ep, std::chrono::milliseconds timeout,
                                 Stoppable stoppable, OpResult<std::unique_ptr<HttpConnection>>& out,
                                 std::coroutine_handle<> h) = 0;
    virtual bool suspend_http_get(HttpConnection& conn, const std::string& target, bool keep_alive,
                                  std::uint64_t max_body, std::stop_token stop,
                                  OpResult<HttpResponse>& out, std::coroutine_handle<> h) = 0;

  private:
    struct ConnectAwaitable {
        Net& net;
        Endpoint ep;
        std::chrono::milliseconds timeout;
        Stoppable stoppable;
        OpResult<std::unique_ptr<HttpConnection>> result;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) {
            return net.suspend_connect(ep, timeout, stoppable, result, h);
        }
        std::unique_ptr<HttpConnection> await_resume() { return result.take(); }
    };

    struct GetAwaitable {
        Net& net;
        HttpConnection& conn;
        std::string target;
        bool keep_alive;
        std::uint64_t max_body;
        std::stop_token stop;  // none: the request cannot be stopped
        OpResult<HttpResponse> result;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) {
            return net.suspend_http_get(conn, target, keep_alive, max_body, stop, result, h);
        }
        HttpResponse await_resume() { return result.take(); }
    };
};

}  // namespace concbench
