// The terminal table printed at the end of a suite: one row per cell.
#pragma once

#include <string>
#include <vector>

#include "matrix.hpp"
#include "result.hpp"

namespace concbench {

struct CellRuns {
    Cell cell;
    std::vector<RunRecord> runs;
};

/// Columns: workload, params, backend, runs ok, median wall, speed-up vs the sync cell with
/// the same workload parameters, efficiency (ideal / median wall), peak RSS, status.
/// Failures are listed with their reasons under the table.
std::string format_table(const std::vector<CellRuns>& cells);

/// "12.3 ms", "1.05 s".
std::string format_seconds(double s);
/// "512 KiB", "1.2 GiB".
std::string format_bytes(double bytes);

}  // namespace concbench
