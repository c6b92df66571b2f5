// The terminal table printed at the end of a suite: one row per cell.
#pragma once

#include <string>
#include <vector>

#include "summary.hpp"

namespace concbench {

/// Columns: workload, params (those that vary between a workload's cells or differ from the
/// defaults), backend, runs ok, median wall, ratio to the baseline (× faster), efficiency
/// (ideal / median wall), median peak RSS, status. Cells that did not all succeed are
/// listed under the table with the first reason.
std::string format_table(const std::vector<CellSummary>& cells);

/// "12.3 ms", "1.05 s"; "-" for NaN.
std::string format_seconds(double s);
/// "512 B", "1.5 KiB", "1.2 GiB".
std::string format_bytes(double bytes);

}  // namespace concbench
