// The backend interface: a concurrency model that runs a plan of root tasks.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io.hpp"
#include "params.hpp"
#include "task.hpp"

namespace concbench {

/// What to run: `tasks` root tasks, at most `concurrency` in flight at once.
struct RunPlan {
    std::size_t tasks = 0;
    std::size_t concurrency = 1;  // 1..tasks
    /// Makes root task `index`. Called once per index, just before the task starts, on a
    /// backend thread; calls may run concurrently with each other and with other tasks.
    std::function<Task<void>(Io&, std::size_t index)> make_task;
};

/// What happened: every root task that started has finished when run() returns.
struct RunOutcome {
    std::size_t completed = 0;         // root tasks that finished without an exception
    std::size_t failed = 0;            // root tasks that finished with one
    std::vector<double> task_seconds;  // start-to-end of each completed root task
    std::string error;                 // empty, or why the run is not a success
};

class Backend {
  public:
    virtual ~Backend() = default;
    /// Runs the plan and returns when every started task has finished. A backend that
    /// cannot start all tasks (e.g. thread creation fails) says why in RunOutcome::error.
    virtual RunOutcome run(const RunPlan& plan) = 0;
    /// How many cores this backend can keep busy at once with `concurrency` tasks in flight.
    virtual std::size_t parallelism(std::size_t concurrency) const = 0;
};

/// A backend as the harness lists and creates it.
struct BackendInfo {
    std::string name;
    std::string description;
    std::vector<ParamSpec> params;
    std::function<std::unique_ptr<Backend>(const Params&)> create;
};

/// Every backend, in a fixed order (sync first: it is the baseline).
const std::vector<BackendInfo>& backends();
/// The backend called `name`, or null.
const BackendInfo* find_backend(std::string_view name);

/// Cores of this machine (at least 1).
std::size_t hardware_threads();

}  // namespace concbench
