// The HTTP client every backend uses: the same request, the same parser, the whole body read.
// Boost.Beast's blocking API for the blocking backends, its async API for the async ones.
#pragma once

#include <boost/asio/io_context.hpp>
#include <coroutine>
#include <memory>
#include <stdexcept>
#include <string>

#include "http.hpp"
#include "io.hpp"

namespace concbench::http_client {

/// A failed connect or request: what() is "connection refused (127.0.0.1:8080)".
struct RequestError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::unique_ptr<HttpConnection> connect(boost::asio::io_context& ctx, const Endpoint& ep);
HttpResponse get(HttpConnection& conn, const std::string& target, bool keep_alive);

/// Start the operation; `h` is resumed from the completion handler with `out` filled in.
void async_connect(boost::asio::io_context& ctx, const Endpoint& ep,
                   OpResult<std::unique_ptr<HttpConnection>>& out, std::coroutine_handle<> h);
void async_get(HttpConnection& conn, const std::string& target, bool keep_alive,
               OpResult<HttpResponse>& out, std::coroutine_handle<> h);

}  // namespace concbench::http_client
