// From results.jsonl to one summary per cell: the statistics every exporter, chart and
// comparison reads. Works on partial and older runs: it needs only the records.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats.hpp"

namespace concbench {

/// The records of a results.jsonl and what was wrong with lines that were skipped.
struct RunSet {
    std::vector<nlohmann::json> records;
    std::vector<std::string> problems;  // "results.jsonl:17: not valid JSON (skipped)"
};

/// Reads `path`; a missing file is an empty set, a corrupt line a problem, never fatal.
RunSet read_results(const std::string& path);

struct CellSummary {
    std::string workload, backend;
    nlohmann::json params = nlohmann::json::object();          // the workload's
    nlohmann::json backend_params = nlohmann::json::object();  // the backend's
    std::string backend_label;  // as recorded; empty in lines from before it was
    nlohmann::json param_defaults = nullptr;  // the workload's, as recorded; null: not known
    std::size_t runs = 0, ok = 0;
    std::map<std::string, int> statuses;
    std::string first_error;    // of the first run that was not ok
    std::vector<double> walls;  // of the ok runs, in order: the raw samples
    stats::Summary wall;        // over walls
    std::optional<double> ops_per_s, user_s, sys_s, peak_rss_bytes, ideal_wall_s, efficiency;
    std::optional<double> p50, p90, p99;          // medians over ok runs of each run's percentile
    std::map<std::string, std::uint64_t> errors;  // failed operations by kind, over all runs
    std::optional<double> error_rate;             // the median over runs that recorded one
    std::string baseline;                         // the backend ratios are taken against
    std::optional<stats::Ratio> vs_baseline;      // baseline median / this median: x times faster
    std::vector<std::string> warnings;

    /// Identifies the cell across result sets.
    std::string key() const { return group + "|" + backend + "|" + backend_params.dump(); }
    /// Identifies the workload and its parameters (the backends of one comparison).
    const std::string& group_key() const { return group; }
    std::string group;  // workload + "|" + params as JSON; set by summarize_cells
    /// "tasks=100 ms=10": every workload parameter.
    std::string params_text() const;
    /// The backend, with the parameters it was given away from their defaults (all of them
    /// for older lines, which do not say what the defaults were).
    std::string label() const;
};

/// The cell `record` belongs to: its names, parameters and group; no statistics yet.
CellSummary cell_of(const nlohmann::json& record);

/// Replaces the statistics of `cell` by those of `runs` (its records, in order); ratios aside.
void summarize_runs(CellSummary& cell, const std::vector<nlohmann::json>& runs);

/// The ratios of one group's cells (same workload and parameters) against the first cell of
/// backend `baseline` that has a time; none where there is no such cell.
void set_ratios(const std::vector<CellSummary*>& group, const std::string& baseline);

/// Groups records by cell in first-appearance order and computes each cell's statistics;
/// ratios against the cell of backend `baseline` with the same workload parameters.
std::vector<CellSummary> summarize_cells(const std::vector<nlohmann::json>& records,
                                         const std::string& baseline = "sync");

}  // namespace concbench
