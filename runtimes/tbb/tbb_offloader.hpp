// offload=tbb: CPU work goes to a oneTBB arena of one worker per core, the analogue of
// tokio's spawn_blocking; the coroutine resumes on its event loop afterwards.
#pragma once

#include <oneapi/tbb/task_group.h>

#include "offloader.hpp"
#include "tbb_arena.hpp"

namespace concbench {

class TbbOffloader final : public Offloader {
  public:
    /// An arena whose `threads` slots are all workers' (the loop threads only enqueue).
    explicit TbbOffloader(std::size_t threads) : arena_(threads, 0) {}
    /// Waits for the group: its tasks' functors are destroyed before wait() returns.
    ~TbbOffloader() noexcept override;

    void submit(std::function<void()> work) override;
    std::size_t threads() const override { return arena_.threads(); }

  private:
    TbbArena arena_;
    tbb::task_group group_;  // every submitted work, so the destructor can wait for them
};

}  // namespace concbench
