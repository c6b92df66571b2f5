// What a backend runs: a number of root tasks, how many may be in flight, and how to make
// each. Runtime-neutral: workloads may use it (the in-flight limit) without knowing a backend.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "io.hpp"
#include "task.hpp"

namespace concbench {

/// What to run: `tasks` root tasks, at most `concurrency` in flight at once.
struct RunPlan {
    std::size_t tasks = 0;
    std::size_t concurrency = 1;  // 1..tasks: set it with clamp_concurrency()
    /// Makes root task `index`. Called once per index, just before the task starts, on a
    /// backend thread; calls may run concurrently with each other and with other tasks.
    std::function<Task<void>(Io&, std::size_t index)> make_task;

    /// The tasks in flight at once for a workload's `concurrency` parameter: 0 means all of
    /// them; never more than `tasks`; at least 1. The one place this rule is written: the
    /// harness, the workloads' ideal times and their resource checks all use it.
    static std::size_t clamp_concurrency(std::size_t tasks, std::int64_t limit) {
        const std::size_t all = std::max<std::size_t>(tasks, 1);
        if (limit <= 0) return all;
        return std::min(static_cast<std::size_t>(limit), all);
    }
};

}  // namespace concbench
