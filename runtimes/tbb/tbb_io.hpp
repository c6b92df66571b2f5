// The Io of the tbb backend: blocking operations (a sleep or a request blocks the worker,
// which is the model's weakness for IO), and join() that runs children as oneTBB tasks.
#pragma once

#include "blocking_io.hpp"

namespace concbench {

class TbbIo final : public BlockingOps {
  public:
    using BlockingOps::BlockingOps;

  protected:
    /// Runs the children as tasks of a task_group in the current arena; the parent waits with
    /// task_group::wait(), which runs tasks meanwhile (its children first, or others stolen,
    /// the work-stealing way) instead of blocking. Must be called on a thread of the arena.
    bool suspend_join(std::span<Task<void>> children, std::coroutine_handle<> h) override;
};

}  // namespace concbench
