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
#include <string>
#include <utility>

#include "http.hpp"
#include "op_result.hpp"
#include "request_error.hpp"

namespace concbench {

class Net {
  public:
    virtual ~Net() = default;

    /// Opens a TCP connection to `ep`. `timeout` (zero: none) bounds the connect and each
    /// request on the connection, in the backend's own way. Throws RequestError on failure.
    [[nodiscard]] auto connect(Endpoint ep, std::chrono::milliseconds timeout = {}) {
        return ConnectAwaitable{*this, std::move(ep), timeout, {}};
    }

    /// Sends GET `target` on `conn` and reads the whole response, skipping interim (1xx)
    /// ones. The connection is closed afterwards unless the response says it is reusable
    /// (never with keep_alive false). A body over `max_body` bytes is not read: it fails with
    /// kind too_large. Throws RequestError on failure (its kind is timeout when the
    /// connection's timeout passed).
    [[nodiscard]] auto http_get(HttpConnection& conn, std::string target, bool keep_alive,
                                std::uint64_t max_body = kDefaultMaxBody) {
        return GetAwaitable{*this, conn, std::move(target), keep_alive, max_body, {}};
    }

  protected:
    // Backend hooks. Each either finishes the operation on the calling thread and returns
    // false, or returns true and later resumes `h` on one of the backend's threads.
    virtual bool suspend_connect(const Endpoint& ep, std::chrono::milliseconds timeout,
                                 OpResult<std::unique_ptr<HttpConnection>>& out,
                                 std::coroutine_handle<> h) = 0;
    virtual bool suspend_http_get(HttpConnection& conn, const std::string& target, bool keep_alive,
                                  std::uint64_t max_body, OpResult<HttpResponse>& out,
                                  std::coroutine_handle<> h) = 0;

  private:
    struct ConnectAwaitable {
        Net& net;
        Endpoint ep;
        std::chrono::milliseconds timeout;
        OpResult<std::unique_ptr<HttpConnection>> result;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) {
            return net.suspend_connect(ep, timeout, result, h);
        }
        std::unique_ptr<HttpConnection> await_resume() { return result.take(); }
    };

    struct GetAwaitable {
        Net& net;
        HttpConnection& conn;
        std::string target;
        bool keep_alive;
        std::uint64_t max_body;
        OpResult<HttpResponse> result;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) {
            return net.suspend_http_get(conn, target, keep_alive, max_body, result, h);
        }
        HttpResponse await_resume() { return result.take(); }
    };
};

}  // namespace concbench
