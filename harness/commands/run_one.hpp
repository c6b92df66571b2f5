// The child's side of a run: one cell, in this process, measured.
#pragma once

#include <string>
#include <vector>

#include "matrix.hpp"
#include "result.hpp"

namespace concbench {

/// The single cell named by `run-one` arguments. Throws UsageError for bad input or for
/// lists and ranges (run-one runs exactly one cell).
Cell resolve_single_cell(const std::string& backend, const std::string& workload,
                         const std::vector<std::string>& param_args);

/// Whether the cell's workload wants the harness's delay server (target=auto).
bool wants_server(const Cell& cell);

/// Throws UsageError naming what is valid if a cell's `target` is neither auto nor a loopback
/// HOST:PORT, so that a suite stops before it starts rather than fail every run.
void check_targets(const std::vector<Cell>& cells);

struct CellOptions {
    std::string server;         // the address for target=auto; empty: start one for this run
    int server_threads = 1;     // of a server started here
    std::string server_faults;  // its --fault spec; empty: none
    double max_error_rate = 0;  // a run whose failed operations exceed this rate failed
};

/// Sets up the backend and the workload outside the timed region, times the backend's
/// run(), then validates. A failure of the run is a status in the result, not an exception.
Measurement run_cell(const Cell& cell, const CellOptions& opts = {});

}  // namespace concbench
