// The results contract: one RunRecord per finished run, one JSON line in results.jsonl.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "params.hpp"
#include "status.hpp"

namespace concbench {

inline constexpr int kSchemaVersion = 1;

/// Per-task latency percentiles, in seconds.
struct Latency {
    double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

/// What the child measured of one run, in the child (its in-process half of the record).
struct Measurement {
    Status status = Status::ok;                   // ok | failed | invalid (set by the child)
    std::string error;                            // empty when ok
    double wall_s = 0;                            // the backend's run() only
    std::uint64_t ops = 0;                        // operations completed
    std::optional<Latency> latency_s;             // per root task, when any completed
    std::optional<double> ideal_wall_s;           // the workload's lower bound, if known
    bool validated = false;                       // the validator ran and passed
    std::map<std::string, std::uint64_t> errors;  // failed operations by kind ("timeout": 3)
    double error_rate = 0;                        // failed / attempted operations
    double max_error_rate = 0;                    // the rate above which the run failed
    /// What the workload reports of how the run went that is not a number: "file_io":
    /// "io_uring" (WorkloadRun::facts()).
    std::map<std::string, std::string> facts;
};

/// One finished run as the parent records it.
struct RunRecord {
    std::string backend;
    std::string workload;
    std::map<std::string, ParamValue> params;          // the workload's, concurrency included
    std::map<std::string, ParamValue> backend_params;  // the backend's own
    /// What reports show, recorded so that they never ask the registries of the binary that
    /// reads the results (which may not have this backend or workload, or other defaults):
    std::string backend_label;  // "async-mt threads=4": the backend, its non-default params
    std::map<std::string, ParamValue> param_defaults;  // the workload's defaults
    int repetition = 0;                                // 0-based
    Measurement m;                                     // status: also timeout | crashed
    double user_s = 0, sys_s = 0;                      // CPU time of the child, from wait4
    std::int64_t peak_rss_bytes = 0;                   // the child's maximum resident set
    std::int64_t voluntary_ctx_switches = 0;
    std::int64_t involuntary_ctx_switches = 0;
};

nlohmann::json to_json(const Measurement& m);
Measurement measurement_from_json(const nlohmann::json& j);  // throws nlohmann::json::exception

/// The results.jsonl object: every field of the contract, wall_s and ops_per_s null unless ok.
nlohmann::json to_json(const RunRecord& r);

nlohmann::json to_json(const std::map<std::string, ParamValue>& params);

}  // namespace concbench
