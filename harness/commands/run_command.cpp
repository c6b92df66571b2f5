// `concbench run`: the command line of a suite. The suite itself is suite_runner's.
#include <fmt/format.h>

#include <memory>

#include "command.hpp"
#include "run_options.hpp"
#include "suite_runner.hpp"
#include "validators.hpp"

namespace concbench {

namespace {

void add_options(CLI::App& run, RunOptions& o) {
    run.add_option("--backend", o.backends, "comma-separated backends, or all")
        ->capture_default_str();
    run.add_option("--workload", o.workloads, "comma-separated workloads, or all")
        ->capture_default_str();
    run.add_option("--param", o.params,
                   "name=values: a value, a list (10,100) or a range (1:1000:*10); repeatable")
        ->allow_extra_args(false);
    run.add_option("--repetitions", o.repetitions, "measured runs per cell")
        ->capture_default_str()
        ->check(integer());
    run.add_option("--warmup", o.warmup, "unrecorded runs per cell before them")
        ->capture_default_str()
        ->check(integer());
    run.add_option("--timeout", o.timeout_s, "seconds before a run is killed")
        ->capture_default_str()
        ->check(number());
    run.add_option("--server-threads", o.server_threads,
                   "threads of the delay server started for target=auto")
        ->capture_default_str()
        ->check(integer());
    run.add_option("--baseline", o.baseline, "backend the report's ratios are taken against")
        ->capture_default_str();
    run.add_option("--server-fault", o.server_faults,
                   "faults the delay server injects, as serve --fault (e.g. drop=1%,reset=1%)");
    run.add_option("--max-error-rate", o.max_error_rate,
                   "a run whose failed operations exceed this fraction (0..1) is failed")
        ->capture_default_str()
        ->check(number());
}

}  // namespace

CommandMain add_run_command(CLI::App& app) {
    auto* run =
        app.add_subcommand("run", "run a matrix of cells, each repetition in a fresh process");
    auto opts = std::make_shared<RunOptions>();
    auto no_report = std::make_shared<bool>(false);
    add_options(*run, *opts);
    // A resumed suite takes every option its run.json records from there.
    auto* resume = run->add_option("--resume", opts->resume,
                                   "finish the suite in this folder: runs not yet in its "
                                   "results.jsonl, with its own options");
    for (const auto& flag : recorded_option_flags()) resume->excludes(run->get_option(flag));
    run->add_flag("--no-report", *no_report,
                  "write results and summaries only: no charts or report");
    run->add_option("--out", opts->out,
                    "new or empty result folder (default results/<UTC time>-<id>)")
        ->excludes(resume);
    return [run, opts, no_report](const std::string& command_line) {
        // An option given empty (an unset shell variable) is a mistake, not the default.
        for (const auto& [name, value] :
             {std::pair<const char*, const std::string&>{"--resume", opts->resume},
              {"--out", opts->out},
              {"--baseline", opts->baseline}})
            if (run->get_option(name)->count() > 0) check_not_blank(name, value);
        if (run->get_option("--baseline")->count() > 0) check_baseline_selected(*opts);
        opts->report = !*no_report;
        opts->command_line = command_line;
        return run_suite(*opts);
    };
}

}  // namespace concbench
