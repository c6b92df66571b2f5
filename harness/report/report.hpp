// `concbench report DIR`: summaries, charts and reports from DIR/results.jsonl alone. The
// parts, one job each: summaries (summary.hpp) and their formats (exporters.hpp, from
// fields.hpp), charts (charts.hpp), hyperfine tables (hyperfine.hpp), the "what this shows"
// lines (narrative.hpp) and the layout (report_document.hpp).
#pragma once

#include <string>

#include "charts.hpp"
#include "exporters.hpp"
#include "narrative.hpp"
#include "report_document.hpp"
#include "summary.hpp"

namespace concbench {

/// For an explicit --baseline NAME: throws UsageError (one line naming the backends there)
/// when DIR/results.jsonl has runs and none of them is of backend NAME.
void check_baseline(const std::string& dir, const std::string& baseline);

/// Rewrites DIR's summary files (summary_exporters()) from DIR/results.jsonl.
void write_summaries(const std::string& dir, const std::string& baseline);

/// The whole report of DIR: summaries, charts (if /usr/bin/python3 has matplotlib), report.md
/// and report.html. Problems (corrupt lines, charts not drawn) are printed and reported,
/// never fatal. Returns 0, or 128 + the signal when SIGINT/SIGTERM stopped it (report.md
/// and report.html are then left as they were).
int write_report(const std::string& dir, const std::string& baseline, bool quiet = false);

}  // namespace concbench
