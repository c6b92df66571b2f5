// The Io of the blocking backends (sync, threads): every operation finishes on the calling
// thread before the coroutine goes on, so a root task runs start to end inside start().
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>

#include "io.hpp"

namespace concbench {

class BlockingIo final : public Io {
  public:
    enum class Join {
        in_order,    // sync: children run one after another on the calling thread
        thread_each  // threads: each child on its own OS thread
    };
    /// `sockets` only owns the sockets this Io opens; it is never run.
    BlockingIo(boost::asio::io_context& sockets, Join join, std::size_t stack_bytes = 0)
        : sockets_(sockets), join_(join), stack_bytes_(stack_bytes) {}

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
    boost::asio::io_context& sockets_;
    Join join_;
    std::size_t stack_bytes_;
};

/// Runs a task that only uses blocking operations to its end on this thread.
/// Throws std::logic_error if it suspended anyway (an async-only awaitable on a blocking
/// backend is a bug in the workload).
void run_to_end(Task<void>& task);

}  // namespace concbench
