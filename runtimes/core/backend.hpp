// The backend interface: a concurrency model that runs a plan of root tasks.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io.hpp"
#include "params.hpp"
#include "run_plan.hpp"
#include "task.hpp"

namespace concbench {

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

/// A registered backend: its declaration and a factory. Registered with one macro:
///
///   CONCBENCH_BACKEND("async-mt", AsyncMtBackend)
///       ->description("...")
///       ->param(ParamSpec::integer("threads", ...))
///       ->order(30);
///
/// where AsyncMtBackend derives from Backend and is constructible from `const Params&`.
class BackendDef {
  public:
    using Factory = std::function<std::unique_ptr<Backend>(const Params&)>;
    BackendDef(std::string name, Factory make);

    BackendDef* description(std::string text);
    BackendDef* param(ParamSpec spec);
    /// Where the backend is listed: lower first, ties by name. Listings (and so the columns
    /// of a report) stay in a fixed order whatever the link order of the registrars.
    BackendDef* order(int rank);

    const std::string& name() const { return name_; }
    const std::string& description() const { return description_; }
    const std::vector<ParamSpec>& params() const { return params_; }
    int order() const { return order_; }
    /// A backend with `p` resolved against params(). Made outside the timed region.
    std::unique_ptr<Backend> make(const Params& p) const { return make_(p); }

  private:
    std::string name_;
    Factory make_;
    std::string description_;
    std::vector<ParamSpec> params_;
    int order_ = 1000;  // after the built-in ones
};

/// The ranks of the built-in backends: sync first (it is the baseline), then threads, the
/// async pair, then pool and tbb; gaps leave room for new ones between.
namespace backend_order {
inline constexpr int sync = 0, threads = 10, async = 20, async_mt = 30, pool = 40, tbb = 50;
}

/// Registers a backend; returns it for chained declarations. A name registered twice keeps
/// its first backend.
BackendDef* register_backend(std::string name, BackendDef::Factory make);
/// Every registered backend, by order() then name (sync first: it is the baseline).
std::vector<const BackendDef*> backends();
/// The backend called `name`, or null.
const BackendDef* find_backend(std::string_view name);

#ifndef CONCBENCH_CAT
#define CONCBENCH_CAT2(a, b) a##b
#define CONCBENCH_CAT(a, b) CONCBENCH_CAT2(a, b)
#endif
/// Registers backend NAME (a string: names have dashes) whose instances are TYPE(const Params&).
#define CONCBENCH_BACKEND(NAME, TYPE)                                                           \
    [[maybe_unused]] static ::concbench::BackendDef* const CONCBENCH_CAT(concbench_backend_,    \
                                                                         __COUNTER__) =         \
        ::concbench::register_backend(                                                          \
            NAME, [](const ::concbench::Params& p) -> std::unique_ptr<::concbench::Backend> {   \
                return std::make_unique<TYPE>(p);                                               \
            })

/// Cores of this machine (at least 1).
std::size_t hardware_threads();

}  // namespace concbench
