// A oneTBB task arena of a given size whose worker threads exist before the timed run.
#pragma once

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <cstddef>

namespace concbench {

class TbbArena {
  public:
    /// An arena of `threads` slots, `reserved` of them kept for threads that enter it with
    /// execute() (0: every slot is a worker's). Raises oneTBB's process-wide worker limit to
    /// what the arena needs (by default oneTBB has one worker fewer than the cores) for as
    /// long as it lives: the smallest limit alive wins, so two arenas alive at once get the
    /// smaller one's workers. Then makes the workers run once, so that they exist.
    TbbArena(std::size_t threads, unsigned reserved);
    TbbArena(const TbbArena&) = delete;
    TbbArena& operator=(const TbbArena&) = delete;

    tbb::task_arena& arena() { return arena_; }
    std::size_t threads() const { return threads_; }

  private:
    std::size_t threads_;
    tbb::global_control limit_;
    tbb::task_arena arena_;
};

}  // namespace concbench
