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
    std::string server_faults;      // --fault of the delay server: "drop=0.01,reset=0.01"
    double max_error_rate = 0;      // runs with more failed operations than this are failed
    bool report = true;             // charts and report.md/html at the end
    std::string command_line;
    std::string resume;  // a folder to finish: its run.json gives every option above
};

/// Runs the suite; returns the exit code: 0, or 128 + the signal when SIGINT or SIGTERM
/// stopped it (the run in flight is killed, finished runs and summaries are kept). Throws
/// UsageError (having written nothing) for bad input or an unusable --out. With `resume`,
/// runs only the (cell, repetition) pairs not yet in DIR/results.jsonl.
int run_suite(const RunOptions& opts);

/// Throws UsageError unless 0 <= rate <= 1.
void check_error_rate(double rate);

}  // namespace concbench
