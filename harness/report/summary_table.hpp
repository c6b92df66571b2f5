// The terminal table printed at the end of a suite: one row per cell.
#pragma once

#include <string>
#include <vector>

#include "summary.hpp"
#include "units.hpp"  // format_seconds, format_bytes

namespace concbench {

/// Columns: workload, params (those that vary between a workload's cells or differ from the
/// defaults), then the summary fields that have a terminal column (fields.cpp): backend,
/// runs ok, median wall, ratio to the baseline (x faster), efficiency (ideal / median wall),
/// median peak RSS, errors (when some operation failed), status. Cells that did not all
/// succeed are listed under the table with the first reason.
std::string format_table(const std::vector<CellSummary>& cells);

}  // namespace concbench
