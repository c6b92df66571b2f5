#include "run_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <unordered_set>

#include "child_record.hpp"
#include "child_runner.hpp"
#include "dir_lock.hpp"
#include "env_info.hpp"
#include "http_faults.hpp"
#include "interrupt.hpp"
#include "live_summaries.hpp"
#include "matrix.hpp"
#include "plugins.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "results_file.hpp"
#include "run_one.hpp"
#include "server_fixture.hpp"
#include "summary.hpp"
#include "summary_table.hpp"
#include "usage_error.hpp"

namespace concbench {

namespace fs = std::filesystem;

namespace {

std::string default_out_name() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    std::random_device rd;
    return fmt::format("results/{}-{:06x}", stamp, rd() & 0xFFFFFF);
}

/// Creates the output folder, or explains in one line why it cannot be used.
void prepare_out(const std::string& dir) {
    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec))
            throw UsageError(fmt::format("--out {} exists and is not a directory", dir));
        if (!fs::is_empty(dir, ec))
            throw UsageError(fmt::format(
                "--out {} is not empty: choose a new directory, or continue that suite with "
                "--resume {}",
                dir, dir));
    } else if (!fs::create_directories(dir, ec)) {
        throw UsageError(fmt::format("cannot create --out {}: {}", dir, ec.message()));
    }
    if (access(dir.c_str(), W_OK) != 0)
        throw UsageError(fmt::format("--out {} is not writable: {}", dir, std::strerror(errno)));
}

void point_latest_at(const std::string& dir) {
    const fs::path link = fs::path(dir).parent_path() / "latest";
    std::error_code ec;
    fs::remove(link, ec);
    fs::create_directory_symlink(fs::path(dir).filename(), link, ec);
}

std::vector<std::string> child_argv(const std::string& exe, const Cell& cell,
                                    const std::string& server, double max_error_rate) {
    std::vector<std::string> argv = {exe,
                                     "run-one",
                                     "--backend",
                                     cell.backend->name,
                                     "--workload",
                                     cell.workload->name(),
                                     "--result-fd",
                                     "3",
                                     "--max-error-rate",
                                     fmt::format("{}", max_error_rate)};
    if (!server.empty()) {
        argv.push_back("--server");
        argv.push_back(server);
    }
    for (const auto* params : {&cell.workload_params, &cell.backend_params})
        for (const auto& [k, v] : *params) {
            argv.push_back("--param");
            argv.push_back(k + "=" + to_string(v));
        }
    for (const auto& plugin : plugin_files()) {  // CONCBENCH_PLUGIN_PATH is inherited
        argv.push_back("--plugin");
        argv.push_back(plugin);
    }
    return argv;
}

std::string label(const Cell& cell) {
    std::string wp = describe_non_default(cell.workload->params(), cell.workload_params);
    std::string bp = describe_non_default(cell.backend->params, cell.backend_params);
    return fmt::format("{}{}{} on {}{}{}", cell.workload->name(), wp.empty() ? "" : " ", wp,
                       cell.backend->name, bp.empty() ? "" : " ", bp);
}

/// The options of the suite in `given.resume`, as its run.json recorded them.
RunOptions resumed_options(const RunOptions& given) {
    const std::string& dir = given.resume;
    std::ifstream in(dir + "/run.json");
    if (!in)
        throw UsageError(
            fmt::format("--resume {}: no run.json there, so it is not a folder "
                        "concbench run can resume",
                        dir));
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception&) {
        throw UsageError(fmt::format("--resume {}: run.json is not valid JSON", dir));
    }
    const auto version =
        j.is_object() ? j.value("schema_version", nlohmann::json(-1)) : nlohmann::json(-1);
    if (version != kSchemaVersion)
        throw UsageError(
            fmt::format("--resume {}: written with results schema version {}, this "
                        "concbench writes version {}: start a new run",
                        dir, version.dump(), kSchemaVersion));
    try {
        RunOptions o = from_run_json(j, given);
        o.out = dir;
        return o;
    } catch (const UsageError& e) {
        throw UsageError(fmt::format("--resume {}: run.json: {}", dir, e.what()));
    }
}

std::string run_key(const std::string& backend, const std::string& workload,
                    const nlohmann::json& params, const nlohmann::json& backend_params, int rep) {
    return fmt::format("{}|{}|{}|{}|{}", backend, workload, params.dump(), backend_params.dump(),
                       rep);
}

std::string run_key(const Cell& cell, int rep) {
    return run_key(cell.backend->name, cell.workload->name(), to_json(cell.workload_params),
                   to_json(cell.backend_params), rep);
}

/// The (cell, repetition) pairs already in `records` (of DIR/results.jsonl).
std::unordered_set<std::string> finished_runs(const std::vector<nlohmann::json>& records) {
    std::unordered_set<std::string> done;
    for (const auto& r : records)
        if (r.contains("repetition") && r.at("repetition").is_number_integer())
            done.insert(run_key(r.at("backend"), r.at("workload"), r.at("params"),
                                r.value("backend_params", nlohmann::json::object()),
                                r.at("repetition")));
    return done;
}

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
        progress.starting(label(cell), rep);
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
    if (!runs.empty()) progress.finished_cell(label(cell), runs);
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
        p.opts.server_faults = FaultRates::parse(p.opts.server_faults).text();
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
    if (suite.opts.report) report_main(out, suite.opts.baseline);
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
