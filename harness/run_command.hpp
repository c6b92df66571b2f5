// `concbench run`: expands the matrix, runs every (cell, repetition) in a fresh child
// process, appends each result to DIR/results.jsonl as it ends, and prints the table.
#pragma once

#include <string>
#include <vector>

namespace concbench {

struct RunOptions {
    std::string backends = "all";
    std::string workloads = "all";
    std::vector<std::string> params;  // "key=values"
    int repetitions = 3;
    int warmup = 0;
    double timeout_s = 300;
    std::string out;                // empty: results/<UTC timestamp>-<short id>, and results/latest
    int server_threads = 1;         // of the delay server started for target=auto
    std::string baseline = "sync";  // the backend ratios are taken against
    bool report = true;             // charts and report.md/html at the end
    std::string command_line;
};

/// Runs the suite; returns the exit code. Throws UsageError (having written nothing) for
/// bad input or an unusable --out.
int run_suite(const RunOptions& opts);

}  // namespace concbench
