// A fixed set of OS threads that run jobs: the pool of a classic thread-pool server.
//
// Two ways in. submit() queues a job for the next free worker (root tasks wait their turn
// there). try_hand_off() gives a job to a worker that is idle right now, or refuses: a job
// handed off starts at once and never waits behind queued work, which is what lets a parent
// wait for the children it handed off without deadlocking (see PoolIo).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pthread.h>

namespace concbench {

class WorkerPool {
  public:
    /// Starts `threads` workers (at least 1) and returns once all wait for jobs. If a thread
    /// cannot be created, the pool keeps the ones it has and error() says why.
    explicit WorkerPool(std::size_t threads);
    /// Stops the workers once the queue is empty and joins them. Jobs must not be submitted
    /// while it runs.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues `job` (FIFO) for the next worker that is free. Jobs must not throw.
    void submit(std::function<void()> job);
    /// Starts `job` on a worker that is idle now and returns true; false if none is (the
    /// caller then runs it itself). The job must not throw.
    bool try_hand_off(std::function<void()>& job);

    /// Returns once every worker is idle: nothing submitted or handed off is running or
    /// queued. A backend calls it at the end of a run, so that each run starts with every
    /// worker free, whatever the previous run left.
    void wait_idle();

    /// Workers running or waiting.
    std::size_t size() const { return threads_.size(); }
    /// Empty, or why fewer workers than asked for were started.
    const std::string& error() const { return error_; }

  private:
    struct Worker {
        std::condition_variable wake;
        std::function<void()> handed;  // guarded by m_: a job given to this worker alone
        bool woken = false;            // guarded by m_
    };
    void work(Worker& w);
    /// An idle worker, taken off the idle list and woken, or null. Requires m_.
    Worker* wake_idle();

    std::mutex m_;
    std::deque<std::function<void()>> queue_;  // guarded by m_
    std::vector<Worker*> idle_;                // guarded by m_: waiting, nothing to do
    std::condition_variable all_idle_;         // a worker became idle
    bool stopping_ = false;                    // guarded by m_
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<pthread_t> threads_;
    std::string error_;
};

}  // namespace concbench
