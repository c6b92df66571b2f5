// The HTTP client every backend uses: the same request, the same parser, the whole body read.
// Boost.Beast's blocking API for the blocking backends, its async API for the async ones.
//
// A connection may carry a timeout, which bounds its connect and each request on it (from
// sending the request to the last byte of the response). Each model enforces it in its own
// way: the blocking backends with socket timeouts (SO_RCVTIMEO / SO_SNDTIMEO, so a blocked
// recv, send or connect returns when the time is up), the async ones with a timer racing the
// operation that closes the socket, both on the connection's strand.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "http.hpp"
#include "io.hpp"

namespace concbench::http_client {

/// What kind of failure a RequestError is; the workload counts errors by kind.
enum class ErrorKind {
    refused,    // nobody listens there
    reset,      // the peer reset the connection
    closed,     // the peer closed the connection before the response was complete
    timeout,    // the connection's timeout passed
    resources,  // this process ran out of something: open files, memory, buffers
    too_large,  // the body is larger than the caller's limit (refused before it is read)
    other,
};
const char* to_string(ErrorKind k);

/// A failed connect or request: what() is "connection refused (127.0.0.1:8080)".
struct RequestError : std::runtime_error {
    RequestError(ErrorKind k, const std::string& what) : std::runtime_error(what), kind(k) {}
    ErrorKind kind;
};

/// `timeout` zero: none.
std::unique_ptr<HttpConnection> connect(boost::asio::io_context& ctx, const Endpoint& ep,
                                        std::chrono::milliseconds timeout);
/// Interim (1xx) responses are skipped. The connection is closed afterwards unless the
/// response's `reusable` says otherwise. A body over `max_body` bytes fails with too_large.
HttpResponse get(HttpConnection& conn, const std::string& target, bool keep_alive,
                 std::uint64_t max_body = kDefaultMaxBody);

/// Start the operation; `h` is resumed from the completion handler with `out` filled in.
void async_connect(boost::asio::io_context& ctx, const Endpoint& ep,
                   std::chrono::milliseconds timeout,
                   OpResult<std::unique_ptr<HttpConnection>>& out, std::coroutine_handle<> h);
void async_get(HttpConnection& conn, const std::string& target, bool keep_alive,
               std::uint64_t max_body, OpResult<HttpResponse>& out, std::coroutine_handle<> h);

}  // namespace concbench::http_client
