// `concbench compare BASE_DIR NEW_DIR`: per matching cell, the two medians, their ratio, a
// two-sided Mann-Whitney U test and a verdict, like Google Benchmark's compare.py.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "exporters.hpp"
#include "summary.hpp"

namespace concbench {

/// The verdict of a cell that had successful runs in base and has none in new.
inline constexpr const char* kNoSuccessInNew = "no successful run in new";

/// compare's exit codes: 0 no regression, 1 regression (only with --fail-on-regression),
/// 2 usage or input error (kExitUsage: a folder without runs, no matching cells, I/O).
inline constexpr int kExitRegression = 1;

struct ComparisonRow {
    std::string workload, params, backend;
    double base_median = std::nan(""), new_median = std::nan("");  // NaN: no such cell
    double ratio = std::nan("");                                   // new / base: below 1 is faster
    double p = std::nan("");
    // faster | slower | no significant change | only in base | only in new |
    // no successful run in new | no successful run in base
    std::string verdict = {};
};

/// Cells matched by workload, parameters, backend and backend parameters.
std::vector<ComparisonRow> compare_cells(const std::vector<CellSummary>& base,
                                         const std::vector<CellSummary>& fresh,
                                         double alpha = 0.05);

/// The comparison as a table block (for Markdown and the terminal).
Block comparison_table(const std::vector<ComparisonRow>& rows);

/// Prints the table, writes NEW_DIR/compare.md and returns the exit code: 1 when
/// `fail_on_regression_pct` is given and a cell is significantly slower by more than it, or
/// succeeded in base and has no successful run in new; else 0. Throws UsageError (exit 2)
/// when a folder has no runs, no cell matches, or a file cannot be read or written.
int compare_folders(const std::string& base_dir, const std::string& new_dir,
                    std::optional<double> fail_on_regression_pct);

}  // namespace concbench
