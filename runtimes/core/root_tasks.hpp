// Bookkeeping every backend shares: makes, starts, times and retires root tasks, and turns
// their exceptions into the run's error. Backends decide only *where* start() is called.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "backend.hpp"
#include "exhaustion.hpp"

namespace concbench {

class RootTasks {
  public:
    /// `after_finish(i)` runs on the finishing thread once task i is retired (its frame freed).
    RootTasks(const RunPlan& plan, Io& io, std::function<void(std::size_t)> after_finish = {});

    /// Makes root task i, stamps its start and resumes it until its first suspension; on a
    /// blocking backend the task has finished when this returns. Call once per index.
    void start(std::size_t i);

    /// Whether task i has finished (or failed to be made). For blocking backends' checks.
    bool finished(std::size_t i) const { return slots_[i].finished; }

    /// The outcome; call once, after every started task has finished. `backend_error`, if
    /// given, is why the backend stopped starting tasks.
    RunOutcome outcome(std::string backend_error = {});

  private:
    using Clock = std::chrono::steady_clock;
    struct Slot {
        Task<void> task;
        Clock::time_point start;
        RootTasks* owner = nullptr;
        bool finished = false;
    };
    static void on_done(void* slot);
    void finish(std::size_t i, std::exception_ptr error);

    const RunPlan& plan_;
    Io& io_;
    std::function<void(std::size_t)> after_finish_;
    std::vector<Slot> slots_;
    std::vector<double> seconds_;  // NaN until task i finished without an exception
    std::atomic<std::size_t> failed_{0};
    mutable std::mutex error_mutex_;
    std::string first_error_;  // guarded by error_mutex_
};

}  // namespace concbench
