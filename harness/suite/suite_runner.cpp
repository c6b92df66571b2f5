#include "suite_runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <unordered_set>

#include "child_argv.hpp"
#include "child_record.hpp"
#include "child_runner.hpp"
#include "dir_lock.hpp"
#include "env_info.hpp"
#include "interrupt.hpp"
#include "live_summaries.hpp"
#include "matrix.hpp"
#include "out_dir.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "results_file.hpp"
#include "resume.hpp"
#include "run_one.hpp"
#include "server_fixture.hpp"
#include "summary_table.hpp"

namespace concbench {

namespace {

/// A suite in progress: what it writes to, and its counts.
struct Suite {
    const RunOptions& opts;
    std::string out, exe;
    std::chrono::milliseconds timeout;
    std::unordered_set<std::string> done;  // runs recorded before this process started
    ResultsFile results;
    LiveSummaries summaries;
    Progress progress;
    // One delay server for the whole suite, started when a cell first wants it and stopped
    // on the way out. If it cannot start, the runs that need it fail with the reason.
    std::optional<ServerFixture> server = {};
    std::string server_error = {};
    std::size_t started = 0, finished = 0;

    void run(const Cell& cell);
    std::string server_for(const Cell& cell);
};

/// The delay server's address if `cell` needs it ("" if not); starts it the first time.
std::string Suite::server_for(const Cell& cell) {
    if (!wants_server(cell)) return {};
    if (!server && server_error.empty()) {
        try {
            server.emplace(exe, opts.server_threads, opts.server_faults);
            progress.note(fmt::format(
                "delay server on {} (pid {}){}", server->address(), server->pid(),
                opts.server_faults.empty() ? "" : ", injecting faults " + opts.server_faults));
        } catch (const std::runtime_error& e) {
            server_error = e.what();
        }
    }
    return server ? server->address() : std::string();
}

/// Runs the repetitions of `cell` not yet recorded, records each as it ends.
void Suite::run(const Cell& cell) {
    std::vector<int> to_run;
    for (int rep = 0; rep < opts.repetitions; ++rep)
        if (done.count(run_key(cell, rep)))
            progress.finished_run();
        else
            to_run.push_back(rep);
    if (to_run.empty() || interrupted()) return;
    const std::string address = server_for(cell);
    const bool runnable = !wants_server(cell) || !address.empty();
    const auto argv = child_argv(exe, cell, address, opts.max_error_rate);
    for (int w = 0; runnable && w < opts.warmup && !interrupted(); ++w) run_child(argv, timeout);
    std::vector<RunRecord> runs;
    std::vector<nlohmann::json> lines;
    for (int rep : to_run) {
        if (interrupted()) break;
        progress.starting(cell_label(cell), rep);
        RunRecord r;
        if (runnable) {
            ++started;
            const ChildResult c = run_child(argv, timeout);
            if (c.end == ChildResult::End::interrupted) break;  // not a result: run it again
            r = record_of(cell, rep, c, opts.timeout_s);
        } else {
            r = not_run(cell, rep, server_error);
        }
        lines.push_back(to_json(r));
        results.append(lines.back());
        progress.finished_run();
        ++finished;
        runs.push_back(std::move(r));
    }
    results.sync();
    summaries.add(lines);
    summaries.write_if_due();
    if (!runs.empty()) progress.finished_cell(cell_label(cell), runs);
}

/// The inputs of a suite, checked before anything is written.
struct Plan {
    RunOptions opts;
    std::vector<Cell> cells;
};

Plan plan_suite(const RunOptions& given) {
    const bool resuming = !given.resume.empty();
    Plan p{resuming ? resumed_options(given) : given, {}};
    if (!resuming) check_ranges(p.opts);  // run.json's were checked as it was read
    if (!p.opts.server_faults.empty())
        p.opts.server_faults = normalized_faults(p.opts.server_faults);
    const auto backends = select_backends(p.opts.backends);
    const auto workloads = select_workloads(p.opts.workloads);
    std::vector<ParamArg> args;
    for (const auto& a : p.opts.params) args.push_back(split_param_arg(a));
    p.cells = expand_matrix(backends, workloads, args);
    check_targets(p.cells);
    return p;
}

/// Runs every cell; returns the exit code.
int run_cells(Suite& suite, const std::vector<Cell>& cells) {
    const std::string& out = suite.out;
    try {
        for (const auto& cell : cells) suite.run(cell);
        suite.summaries.write();            // an interrupted suite still has its summary
    } catch (const std::system_error& e) {  // a full disk, a folder turned read-only
        const std::string what = e.what();
        fmt::print(stderr, "concbench: error: the suite stopped: {}{}\n", what,
                   what.find("--resume") != std::string::npos
                       ? ""
                       : fmt::format("; the runs recorded in {0}/results.jsonl are kept: once "
                                     "that is fixed, `concbench run --resume {0}` continues",
                                     out));
        return 1;
    }
    suite.progress.done();
    if (const int sig = interrupted()) {
        fmt::print(stderr,
                   "concbench: stopped by {}: {} runs started, {} finished now, {} before; "
                   "results in {}/results.jsonl. Continue with: concbench run --resume {}\n",
                   signal_name(sig), suite.started, suite.finished, suite.done.size(), out, out);
        return 128 + sig;
    }
    fmt::print("\n{}\nResults: {}/results.jsonl\n", format_table(suite.summaries.cells()), out);
    if (suite.opts.report) write_report(out, suite.opts.baseline);
    return 0;
}

}  // namespace

int run_suite(const RunOptions& given) {
    // Everything that can be wrong with the input is found before anything is written.
    const bool resuming = !given.resume.empty();
    const Plan plan = plan_suite(given);
    const RunOptions& opts = plan.opts;
    const std::string out = opts.out.empty() ? default_out_name() : opts.out;
    if (!resuming) prepare_out(out);
    // Held until the suite ends, and taken before results.jsonl is read: what is not there
    // yet is this process's to run.
    const DirLock lock(out);
    RunSet existing = resuming ? read_results(out + "/results.jsonl") : RunSet{};
    auto done = finished_runs(existing.records);
    const auto timeout = std::chrono::milliseconds(std::llround(opts.timeout_s * 1000));
    Suite suite{opts,
                out,
                self_executable(),
                timeout,
                std::move(done),
                ResultsFile(out + "/results.jsonl"),
                LiveSummaries(out, opts.baseline, std::move(existing)),
                Progress(plan.cells.size() * static_cast<std::size_t>(opts.repetitions))};
    if (!resuming) {
        write_file_atomically(out + "/env.json", environment(opts.command_line).dump(2) + "\n");
        write_file_atomically(out + "/run.json", run_json(opts).dump(2) + "\n");
        if (opts.out.empty()) point_latest_at(out);
    }
    catch_interrupts();
    fmt::print(
        stderr, "concbench: {} cells x {} repetitions -> {}/results.jsonl{}\n", plan.cells.size(),
        opts.repetitions, out,
        resuming ? fmt::format(" (resuming: {} runs already there)", suite.done.size()) : "");
    return run_cells(suite, plan.cells);
}

}  // namespace concbench
