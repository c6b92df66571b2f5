// The Io of the blocking backends (sync, threads, pool, tbb): every operation finishes on the
// calling thread before the coroutine goes on, so a root task runs start to end inside
// start(). Their network operations are a BlockingNet's. BlockingOps holds what they share
// (sleep, yield, offload, the network); each scheduler adds its own way to join children.
#pragma once

#include <cstddef>

#include "blocking_net.hpp"
#include "io.hpp"

namespace concbench {

/// The blocking operations: sleep blocks the calling thread, yield does nothing, offload runs
/// the work inline. Joining children is left to the scheduler (suspend_join).
class BlockingOps : public Io {
  public:
    /// `net` must outlive the connections the workload makes: a member of the backend.
    explicit BlockingOps(BlockingNet& net) : net_(net) {}

    Net& net() noexcept override { return net_; }

  protected:
    bool suspend_sleep(Duration d, std::coroutine_handle<> h) override;
    bool suspend_yield(std::coroutine_handle<> h) override;
    bool suspend_offload(Job job, std::coroutine_handle<> h) override;

  private:
    BlockingNet& net_;
};

/// The Io of sync and threads.
class BlockingIo final : public BlockingOps {
  public:
    enum class Join {
        in_order,    // sync: children run one after another on the calling thread
        thread_each  // threads: each child on its own OS thread
    };
    BlockingIo(BlockingNet& net, Join join, std::size_t stack_bytes = 0)
        : BlockingOps(net), join_(join), stack_bytes_(stack_bytes) {}

  protected:
    bool suspend_join(std::span<Task<void>> children, std::coroutine_handle<> h) override;

  private:
    Join join_;
    std::size_t stack_bytes_;
};

/// Runs a task that only uses blocking operations to its end on this thread.
/// Throws std::logic_error if it suspended anyway (an async-only awaitable on a blocking
/// backend is a bug in the workload).
void run_to_end(Task<void>& task);

}  // namespace concbench
