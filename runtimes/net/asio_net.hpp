// The network operations of the async backends: Boost.Beast's async API on an io_context;
// each hook starts the operation and resumes the coroutine from its completion handler.
//
// A connection's timeout is a timer racing each operation that closes the socket if it
// fires first; a stop request (http_get with a stop token) posts the same close. A connection
// with a timeout or opened stoppable has a strand of its own, and the operation's, the
// timer's and the stop's handlers run on it, so none needs a lock when the loop has many
// threads.
#pragma once

#include <boost/asio/io_context.hpp>

#include "net.hpp"

namespace concbench {

class AsioNet final : public Net {
  public:
    /// `ctx` must outlive the connections made here.
    explicit AsioNet(boost::asio::io_context& ctx) : ctx_(ctx) {}

  protected:
    bool suspend_connect(const Endpoint& ep, std::chrono::milliseconds timeout,
                         Stoppable stoppable, OpResult<std::unique_ptr<HttpConnection>>& out,
                         std::coroutine_handle<> h) override;
    bool suspend_http_get(HttpConnection& conn, const std::string& target, bool keep_alive,
                          std::uint64_t max_body, std::stop_token stop,
                          OpResult<HttpResponse>& out, std::coroutine_handle<> h) override;

  private:
    boost::asio::io_context& ctx_;
};

}  // namespace concbench
