// The options of `concbench run`, their valid ranges, and run.json: the one place both the
// command line and a resumed suite's run.json are checked, so both refuse the same values.
// A new option is a member here and a row of kOptions in run_options.cpp (its run.json name,
// type and range); the command line adds its flag (commands/run_command.cpp).
#pragma once

#include <nlohmann/json.hpp>
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

/// The command-line flags of the options run.json records (--backend, --repetitions...):
/// those a resumed suite takes from its run.json, so --resume excludes them.
std::vector<std::string> recorded_option_flags();

/// Throws UsageError, naming the option (--repetitions), unless every number is in range.
void check_ranges(const RunOptions& opts);

/// Throws UsageError unless 0 <= rate <= 1.
void check_error_rate(double rate);

/// Throws UsageError if `value` of `option` is empty or only blanks (an unset shell variable).
void check_not_blank(const std::string& option, const std::string& value);

/// Throws UsageError unless --baseline names one of the backends --backend selects: the
/// ratios of a suite without its baseline would all be missing.
void check_baseline_selected(const RunOptions& opts);

/// A --fault spec of the delay server in its one written form ("drop=0.01,reset=0.01").
/// Throws UsageError naming what is valid (the server's own error is not the CLI's).
std::string normalized_faults(const std::string& spec);

/// run.json: the options that decide which runs a suite has and how they are run.
nlohmann::json run_json(const RunOptions& opts);

/// `base` with the options recorded in run.json `j`. Throws UsageError naming the field and
/// what is valid for a wrong type, a missing field or a value out of range.
RunOptions from_run_json(const nlohmann::json& j, RunOptions base);

}  // namespace concbench
