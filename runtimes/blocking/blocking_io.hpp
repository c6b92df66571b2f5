// The Io of the blocking backends (sync, threads): every operation finishes on the calling
// thread before the coroutine goes on, so a root task runs start to end inside start(). Its
// network operations are a BlockingNet's.
#pragma once

#include <cstddef>

#include "blocking_net.hpp"
#include "io.hpp"

namespace concbench {

class BlockingIo final : public Io {
  public:
    enum class Join {
        in_order,    // sync: children run one after another on the calling thread
        thread_each  // threads: each child on its own OS thread
    };
    /// `net` must outlive the connections the workload makes: a member of the backend.
    BlockingIo(BlockingNet& net, Join join, std::size_t stack_bytes = 0)
        : net_(net), join_(join), stack_bytes_(stack_bytes) {}

    Net& net() noexcept override { return net_; }

  protected:
    bool suspend_sleep(Duration d, std::coroutine_handle<> h) override;
    bool suspend_yield(std::coroutine_handle<> h) override;
    bool suspend_offload(Job job, std::coroutine_handle<> h) override;
    bool suspend_join(std::span<Task<void>> children, std::coroutine_handle<> h) override;

  private:
    BlockingNet& net_;
    Join join_;
    std::size_t stack_bytes_;
};

/// Runs a task that only uses blocking operations to its end on this thread.
/// Throws std::logic_error if it suspended anyway (an async-only awaitable on a blocking
/// backend is a bug in the workload).
void run_to_end(Task<void>& task);

}  // namespace concbench
