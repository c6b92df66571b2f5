// A suite: expands the matrix, runs every (cell, repetition) in a fresh child process,
// appends each result to DIR/results.jsonl as it ends, and prints the table. The output
// folder (out_dir), resuming (resume) and the child's command line (child_argv) are apart.
#pragma once

#include "run_options.hpp"

namespace concbench {

/// Runs the suite; returns the exit code: 0, or 128 + the signal when SIGINT or SIGTERM
/// stopped it (the run in flight is killed, finished runs and summaries are kept). Throws
/// UsageError (having written nothing) for bad input or an unusable --out. With `resume`,
/// runs only the (cell, repetition) pairs not yet in DIR/results.jsonl.
int run_suite(const RunOptions& opts);

}  // namespace concbench
