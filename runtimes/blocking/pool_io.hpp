// The Io of the pool backend: blocking operations, and join() that runs children on the
// pool's workers without deadlocking when every worker is waiting.
//
// The scheme: each child but the last goes to a worker that is idle at that moment, claimed
// for it alone (WorkerPool::try_hand_off); when none is idle, the parent runs the child
// itself, inline; the last child always runs inline (the parent would only wait otherwise).
// Then the parent waits for the children it handed off. Why this cannot deadlock: a child is
// never queued behind other work, it either starts at once on a worker of its own or runs on
// the parent's thread, so a parent waits only for children that are running. Those wait, in
// turn, only for running children of theirs; the deepest ones join nothing and finish, and so
// every join finishes. The cost is the model's: with all workers busy, children run one after
// another on the parent's thread, as sync runs them.
#pragma once

#include "blocking_io.hpp"
#include "worker_pool.hpp"

namespace concbench {

class PoolIo final : public BlockingOps {
  public:
    /// `pool` runs the children that find a worker idle.
    PoolIo(BlockingNet& net, WorkerPool& pool) : BlockingOps(net), pool_(pool) {}

  protected:
    bool suspend_join(std::span<Task<void>> children, std::coroutine_handle<> h) override;

  private:
    WorkerPool& pool_;
};

}  // namespace concbench
