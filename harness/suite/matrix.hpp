// Turns the run command's selections (backends, workloads, --param grids) into cells.
// Every function here throws UsageError for bad input, naming what is valid.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "backend.hpp"
#include "workload.hpp"

namespace concbench {

/// One point of the matrix: a backend, a workload and every parameter of both, resolved.
struct Cell {
    const BackendDef* backend = nullptr;
    const WorkloadDef* workload = nullptr;
    std::map<std::string, ParamValue> workload_params;
    std::map<std::string, ParamValue> backend_params;
};

/// A `--param [scope.]...key=values` argument, values not yet parsed. Scopes (workload or
/// backend names) limit the values to the cells of those, and override less scoped values
/// there: `sync.tasks=10` gives the sync cells their own task counts.
struct ParamArg {
    std::string key;
    std::string text;
    std::vector<std::string> scopes = {};  // empty: every cell that declares key
};

/// "sync,async" or "all".
std::vector<const BackendDef*> select_backends(std::string_view list);
std::vector<const WorkloadDef*> select_workloads(std::string_view list);

/// "tasks=10,100" -> {"tasks", "10,100"}; "sync.sleep.tasks=5" -> {"tasks", "5", {"sync",
/// "sleep"}}.
ParamArg split_param_arg(std::string_view arg);

/// The values of a comma-separated list of items for `spec`; an item is a value or, for
/// integers and durations, a range a:b (step 1), a:b:+step or a:b:*factor.
std::vector<ParamValue> expand_values(const ParamSpec& spec, std::string_view text);

/// The cartesian product, ordered by workload, then its parameter values, then backend and
/// the backend's values. Each argument must apply to some cell, and appear once.
std::vector<Cell> expand_matrix(const std::vector<const BackendDef*>& backends,
                                const std::vector<const WorkloadDef*>& workloads,
                                const std::vector<ParamArg>& args);

/// "tasks=10 ms=100": the parameters whose values differ from the spec's default.
std::string describe_non_default(const std::vector<ParamSpec>& specs,
                                 const std::map<std::string, ParamValue>& values);

}  // namespace concbench
