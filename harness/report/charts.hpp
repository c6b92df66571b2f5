// The charts of a report: plots/*.py run side by side on DIR/summary.json, and the index
// files (DIR/plots/index-*.json) they leave behind read back.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

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

/// The chart scripts in plots/, each run on DIR/summary.json: a new chart is a script there
/// and its name here (charts.cpp); it is placed in the report by its index's kind and group.
const std::vector<std::string>& chart_scripts();

/// Runs each chart script on DIR/summary.json; returns why charts are missing, if they are.
std::vector<std::string> draw_charts(const std::string& dir);

}  // namespace concbench
