// The workload plugin interface. A workload is written once against Io and registers itself
// with one macro:
//
//   CONCBENCH_WORKLOAD(sleep, SleepRun)
//       ->kind(Kind::io)
//       ->description("...")
//       ->param(ParamSpec::integer("tasks", 1000, 1, 10'000'000, "root tasks"));
//
// where SleepRun derives from WorkloadRun and is constructible from `const Params&`, or from
// `const Params&, const RunContext&` when it uses a fixture (`->needs(Fixture::...)`).
// Nothing here knows a backend.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "io.hpp"
#include "params.hpp"
#include "task.hpp"

namespace concbench {

enum class Kind { io, cpu, mixed };
const char* to_string(Kind k);

/// How a backend will run a workload: for the ideal (lower-bound) wall time.
struct Shape {
    std::size_t tasks = 0;
    std::size_t concurrency = 1;  // root tasks in flight at once (1..tasks)
    std::size_t parallelism = 1;  // cores the backend keeps busy at once
};

/// The failed operations of a run, counted by kind.
struct OpErrors {
    std::map<std::string, std::uint64_t> by_kind;  // "timeout" -> 3
    std::uint64_t attempted = 0;                   // operations tried: the rate's denominator
    std::string summary;  // "37 of 1000 requests failed: connection refused (127.0.0.1:8080)"

    std::uint64_t total() const {
        std::uint64_t n = 0;
        for (const auto& [kind, count] : by_kind) n += count;
        return n;
    }
};

/// What a workload may need the harness to provide for its runs.
enum class Fixture {
    delay_server,  // an HTTP server answering /delay/<ms>/bytes/<n> (`concbench serve`)
};

/// What the harness gives a run besides its parameters: the fixtures its workload needs.
struct RunContext {
    /// Where the delay server listens: the `target` parameter when it names one, else the
    /// server the harness started. Set for every run of a workload that needs it.
    std::optional<Endpoint> delay_server;

    /// The delay server's endpoint. Throws std::logic_error if the workload did not declare
    /// `needs(Fixture::delay_server)` (the harness provides only what is declared).
    const Endpoint& server() const {
        if (!delay_server) throw std::logic_error("no delay server was provided to this run");
        return *delay_server;
    }
};

/// One run of a workload with resolved parameters. Made fresh in each child process.
class WorkloadRun {
  public:
    virtual ~WorkloadRun() = default;
    /// Root tasks to run.
    virtual std::size_t tasks() const = 0;
    /// Root task `i` (0 <= i < tasks()). Called once per i, possibly concurrently.
    virtual Task<void> task(Io& io, std::size_t i) = 0;
    /// After all tasks finished: empty if the results are correct, else what is wrong.
    virtual std::string validate() const = 0;
    /// The lower bound on wall time for `shape`, if the workload knows one.
    virtual std::optional<double> ideal_wall_s(const Shape&) const { return std::nullopt; }
    /// Operations done, for ops/s (default: one per task).
    virtual std::uint64_t ops() const { return tasks(); }
    /// Operations that failed and were counted, not thrown (e.g. requests that got no
    /// answer). The harness turns them into the run's `errors` and `error_rate`; a rate
    /// above the suite's max_error_rate makes the run `failed` with `summary` as its error.
    /// Checked before validate(), which must accept the operations counted here.
    virtual OpErrors errors() const { return {}; }
    /// What the run reports of how it went that is not a number, recorded in its result's
    /// `facts`: {"file_io": "io_uring"}. Called after all tasks finished.
    virtual std::map<std::string, std::string> facts() const { return {}; }
};

/// A registered workload: its declaration and a factory for runs.
class WorkloadDef {
  public:
    using Factory =
        std::function<std::unique_ptr<WorkloadRun>(const Params&, const RunContext&)>;
    WorkloadDef(std::string name, Factory make);

    WorkloadDef* kind(Kind k);
    WorkloadDef* description(std::string text);
    WorkloadDef* param(ParamSpec spec);
    /// Declares that runs need `f`, which the harness provides in their RunContext. For
    /// delay_server this adds a `target` parameter (default "auto"): with auto, the harness
    /// starts `concbench serve` on a free loopback port for the suite; a HOST:PORT names a
    /// server to use instead.
    WorkloadDef* needs(Fixture f);
    /// The parameters of a quick correctness run (a second or less on any backend, also under
    /// sanitizers), as a user would type them; the rest stay at their defaults. The workload
    /// tests run every workload with these on every backend.
    WorkloadDef* smoke(std::map<std::string, std::string> params);

    const std::string& name() const { return name_; }
    Kind kind() const { return kind_; }
    /// Whether runs need `f` (declared with needs()).
    bool uses(Fixture f) const { return f == Fixture::delay_server && needs_server_; }
    const std::string& description() const { return description_; }
    /// The workload's own parameters followed by `concurrency`, which every workload has.
    const std::vector<ParamSpec>& params() const { return params_; }
    /// The parameters declared with smoke().
    const std::map<std::string, std::string>& smoke_params() const { return smoke_; }
    std::unique_ptr<WorkloadRun> make(const Params& p, const RunContext& ctx = {}) const {
        return make_(p, ctx);
    }

  private:
    std::string name_;
    Factory make_;
    Kind kind_ = Kind::mixed;
    std::string description_;
    std::vector<ParamSpec> params_;
    bool needs_server_ = false;
    std::map<std::string, std::string> smoke_;
};

/// The value of `target` that asks the harness for its own delay server.
inline constexpr const char* kAutoTarget = "auto";

/// The `concurrency` parameter every workload has: at most this many root tasks in flight.
ParamSpec concurrency_param();

/// Registers a workload; returns it for chained declarations. A name registered twice keeps
/// its first workload (the harness refuses to start with such a duplicate).
WorkloadDef* register_workload(std::string name, WorkloadDef::Factory make);
/// Every registered workload, sorted by name.
std::vector<const WorkloadDef*> workloads();
/// The workload called `name`, or null.
const WorkloadDef* find_workload(std::string_view name);

#define CONCBENCH_CAT2(a, b) a##b
#define CONCBENCH_CAT(a, b) CONCBENCH_CAT2(a, b)
namespace detail {
/// Makes a run of TYPE from its parameters, and its context if TYPE takes one.
template <class TYPE>
std::unique_ptr<WorkloadRun> make_run(const Params& p, const RunContext& ctx) {
    if constexpr (std::is_constructible_v<TYPE, const Params&, const RunContext&>)
        return std::make_unique<TYPE>(p, ctx);
    else
        return std::make_unique<TYPE>(p);
}
}  // namespace detail

/// Registers workload NAME (an identifier) whose runs are TYPE(const Params&) or
/// TYPE(const Params&, const RunContext&).
#define CONCBENCH_WORKLOAD(NAME, TYPE)                                                         \
    [[maybe_unused]] static ::concbench::WorkloadDef* const CONCBENCH_CAT(concbench_workload_, \
                                                                          NAME) =              \
        ::concbench::register_workload(#NAME, &::concbench::detail::make_run<TYPE>)

/// The version of this API (Task, Io, Net, Params, WorkloadRun, WorkloadDef) as a plugin sees
/// it. Raised whenever a change would break a plugin built against the older headers
/// (2: network operations moved to io.net(), fixtures given in a RunContext; 3: file
/// operations in io.files(), WorkloadRun::facts(), WorkloadDef::smoke(); stop tokens in
/// io.sleep and Net's http_get and connect, whose hooks changed).
#define CONCBENCH_PLUGIN_API_VERSION 3

/// Marks a shared module as a concbench plugin built against this API. Put it once in one
/// file of the plugin, next to its CONCBENCH_WORKLOAD declarations; `concbench --plugin`
/// refuses a module without it or with another version.
#define CONCBENCH_PLUGIN()                                                                         \
    extern "C" __attribute__((visibility("default"))) int concbench_plugin_api_version() {         \
        return CONCBENCH_PLUGIN_API_VERSION;                                                       \
    }

}  // namespace concbench
