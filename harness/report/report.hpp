// `concbench report DIR`: summaries, charts and reports from DIR/results.jsonl alone.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exporters.hpp"
#include "summary.hpp"

namespace concbench {

/// A chart drawn by plots/, as listed in DIR/plots/index-*.json.
struct Chart {
    std::string kind;   // bars | latency | cpu | sweep
    std::string group;  // CellSummary::group_key(), for per-group charts
    std::string workload;
    std::string title;
    std::string file;  // relative to DIR/plots
};

/// The charts listed in DIR/plots/index-*.json (only plain file names inside DIR/plots).
std::vector<Chart> read_charts(const std::filesystem::path& plots);

/// Runs each chart script on DIR/summary.json; returns why charts are missing, if they are.
std::vector<std::string> draw_charts(const std::string& dir);

/// The report: what was run, a table per workload and parameter set with its "what this
/// shows" lines and charts, sweeps, hyperfine tables, warnings and failures. `skipped_lines`:
/// how many results.jsonl lines were left out (their reasons are among `problems`).
Document build_report(const std::vector<CellSummary>& cells, const nlohmann::json& env,
                      const std::vector<std::string>& problems, const std::vector<Chart>& charts,
                      const std::vector<std::pair<std::string, std::string>>& hyperfine,
                      std::size_t skipped_lines = 0);

/// For an explicit --baseline NAME: throws UsageError (one line naming the backends there)
/// when DIR/results.jsonl has runs and none of them is of backend NAME.
void check_baseline(const std::string& dir, const std::string& baseline);

/// The sentences under a comparison table, computed from its cells.
std::vector<std::string> what_this_shows(const std::vector<const CellSummary*>& group);

/// Rewrites DIR/summary.json and DIR/summary.csv from DIR/results.jsonl (atomically).
void write_summaries(const std::string& dir, const std::string& baseline);

/// The whole report of DIR: summaries, charts (if /usr/bin/python3 has matplotlib), report.md
/// and report.html. Problems (corrupt lines, charts not drawn) are printed and reported,
/// never fatal. Returns 0, or 128 + the signal when SIGINT/SIGTERM stopped it (report.md
/// and report.html are then left as they were).
int write_report(const std::string& dir, const std::string& baseline, bool quiet = false);

}  // namespace concbench
