// The Io of the async backends: operations suspend the coroutine and resume it from a
// Boost.Asio completion handler, on whichever thread runs the io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "io.hpp"

namespace concbench {

class AsioIo final : public Io {
  public:
    /// `offload_pool` null: offloaded work runs inline on the loop thread (and blocks it).
    AsioIo(boost::asio::io_context& ctx, boost::asio::thread_pool* offload_pool)
        : ctx_(ctx), pool_(offload_pool) {}

  protected:
    bool suspend_sleep(Duration d, std::coroutine_handle<> h) override;
    bool suspend_offload(Job job, std::coroutine_handle<> h) override;
    bool suspend_join(std::span<Task<void>> children, std::coroutine_handle<> h) override;
    bool suspend_connect(const Endpoint& ep, std::chrono::milliseconds timeout,
                         OpResult<std::unique_ptr<HttpConnection>>& out,
                         std::coroutine_handle<> h) override;
    bool suspend_http_get(HttpConnection& conn, const std::string& target, bool keep_alive,
                          std::uint64_t max_body, OpResult<HttpResponse>& out,
                          std::coroutine_handle<> h) override;

  private:
    boost::asio::io_context& ctx_;
    boost::asio::thread_pool* pool_;
};

}  // namespace concbench
