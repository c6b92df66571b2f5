// The micro-suite's part of a report: DIR/micro.json (Google Benchmark's own JSON, written
// by build/concbench-micro, e.g. through `make micro`) read into a table of nanoseconds per
// operation (a row per primitive, a column per backend), DIR/micro_summary.json for the
// chart, and the chart drawn by plots/micro.py.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "exporters.hpp"

namespace concbench {

/// One benchmark's figures: the median over its repetitions, per operation.
struct MicroCell {
    std::optional<double> real_ns, cpu_ns;  // empty when it did not run
    std::string error;                      // why it did not run (SkipWithError's message)
};

/// The table of a micro.json, in the order the benchmarks ran (the registry's order).
struct MicroTable {
    std::vector<std::string> rows;      // "spawn_join", "offload offload=pool", ...
    std::vector<std::string> backends;  // columns
    std::vector<std::vector<MicroCell>> cells;  // [row][backend]; a missing one: no figures
};

/// Whether DIR has a micro-suite run (DIR/micro.json).
bool has_micro_results(const std::string& dir);

/// The table of Google Benchmark JSON `j` whose names are "<primitive>/<backend>[/k=v]".
/// Throws std::runtime_error naming what is wrong when `j` is not such output.
MicroTable micro_table(const nlohmann::json& j);

/// The micro-suite section of DIR's report (its table, chart, context and the cells that
/// did not run); writes DIR/micro_summary.json and draws DIR/plots/micro.png. Charts not
/// drawn are added to `problems`. Throws UsageError when DIR/micro.json cannot be read.
Document micro_section(const std::string& dir, std::vector<std::string>& problems);

/// The report of a folder that holds only micro.json: report.md and report.html.
int write_micro_report(const std::string& dir, bool quiet);

}  // namespace concbench
