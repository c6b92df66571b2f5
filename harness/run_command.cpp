#include "run_command.hpp"

#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <set>

#include "child_runner.hpp"
#include "env_info.hpp"
#include "http_faults.hpp"
#include "interrupt.hpp"
#include "matrix.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "results_file.hpp"
#include "run_one.hpp"
#include "server_fixture.hpp"
#include "stats.hpp"
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
    return argv;
}

std::string last_line(const std::string& text) {
    std::size_t end = text.find_last_not_of("\n ");
    if (end == std::string::npos) return {};
    std::size_t start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1,
                       end - (start == std::string::npos ? 0 : start + 1) + 1);
}

/// The child's measurement, or the reason there is none.
Measurement measurement_of(const ChildResult& c, double timeout_s) {
    Measurement m;
    const std::string said = last_line(c.stderr_tail);
    const std::string tail = said.empty() ? "" : ": " + said;
    switch (c.end) {
        case ChildResult::End::timed_out:
            m.status = "timeout";
            m.error = fmt::format(
                "no result within the {:g} s timeout; killed (raise --timeout "
                "to wait longer)",
                timeout_s);
            return m;
        case ChildResult::End::signaled:
            m.status = "crashed";
            if (c.code == SIGKILL && c.oom_kills > 0)
                m.error = fmt::format(
                    "killed by the kernel's OOM killer (SIGKILL while oom_kill in /proc/vmstat "
                    "rose by {}) at {} peak RSS: lower tasks or concurrency, or give the run "
                    "more memory",
                    c.oom_kills, format_bytes(static_cast<double>(c.usage.ru_maxrss) * 1024));
            else if (c.code == SIGKILL)
                m.error = fmt::format(
                    "killed by signal {}, not by the harness nor by the OOM killer (oom_kill in "
                    "/proc/vmstat did not change): another process killed it{}",
                    signal_name(c.code), tail);
            else
                m.error = fmt::format("killed by signal {}{}", signal_name(c.code), tail);
            return m;
        case ChildResult::End::interrupted:  // run_suite does not record these: it reruns them
            m.status = "crashed";
            m.error = "killed because the harness was interrupted";
            return m;
        case ChildResult::End::exited:
            break;
    }
    try {
        return measurement_from_json(nlohmann::json::parse(c.result));
    } catch (const nlohmann::json::exception&) {
        m.status = "crashed";
        m.error = fmt::format("exited with code {} without a result{}", c.code, tail);
        return m;
    }
}

/// The record of `cell`'s run `repetition`, before anything is known of the run.
RunRecord record_for(const Cell& cell, int repetition) {
    RunRecord r;
    r.backend = cell.backend->name;
    r.workload = cell.workload->name();
    r.params = cell.workload_params;
    r.backend_params = cell.backend_params;
    r.repetition = repetition;
    return r;
}

RunRecord record_of(const Cell& cell, int repetition, const ChildResult& c, double timeout_s) {
    RunRecord r = record_for(cell, repetition);
    r.m = measurement_of(c, timeout_s);
    const auto secs = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
    r.user_s = secs(c.usage.ru_utime);
    r.sys_s = secs(c.usage.ru_stime);
    r.peak_rss_bytes = static_cast<std::int64_t>(c.usage.ru_maxrss) * 1024;
    r.voluntary_ctx_switches = c.usage.ru_nvcsw;
    r.involuntary_ctx_switches = c.usage.ru_nivcsw;
    return r;
}

/// A run that could not be started: failed, with why.
RunRecord not_run(const Cell& cell, int repetition, const std::string& why) {
    RunRecord r = record_for(cell, repetition);
    r.m.status = "failed";
    r.m.error = why;
    return r;
}

std::string label(const Cell& cell) {
    std::string wp = describe_non_default(cell.workload->params(), cell.workload_params);
    std::string bp = describe_non_default(cell.backend->params, cell.backend_params);
    return fmt::format("{}{}{} on {}{}{}", cell.workload->name(), wp.empty() ? "" : " ", wp,
                       cell.backend->name, bp.empty() ? "" : " ", bp);
}

}  // namespace

namespace {

nlohmann::json options_json(const RunOptions& o) {
    return {{"schema_version", kSchemaVersion},
            {"backends", o.backends},
            {"workloads", o.workloads},
            {"params", o.params},
            {"repetitions", o.repetitions},
            {"warmup", o.warmup},
            {"timeout_s", o.timeout_s},
            {"server_threads", o.server_threads},
            {"baseline", o.baseline},
            {"server_faults", o.server_faults},
            {"max_error_rate", o.max_error_rate}};
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
    if (j.value("schema_version", -1) != kSchemaVersion)
        throw UsageError(
            fmt::format("--resume {}: written with results schema version {}, this "
                        "concbench writes version {}: start a new run",
                        dir, j.value("schema_version", -1), kSchemaVersion));
    RunOptions o = given;
    o.backends = j.at("backends");
    o.workloads = j.at("workloads");
    o.params = j.at("params").get<std::vector<std::string>>();
    o.repetitions = j.at("repetitions");
    o.warmup = j.at("warmup");
    o.timeout_s = j.at("timeout_s");
    o.server_threads = j.at("server_threads");
    o.baseline = j.at("baseline");
    o.server_faults = j.value("server_faults", "");
    o.max_error_rate = j.value("max_error_rate", 0.0);
    o.out = dir;
    return o;
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

/// The (cell, repetition) pairs already in DIR/results.jsonl.
std::set<std::string> finished_runs(const std::string& dir) {
    std::set<std::string> done;
    for (const auto& r : read_results(dir + "/results.jsonl").records)
        if (r.contains("repetition") && r.at("repetition").is_number_integer())
            done.insert(run_key(r.at("backend"), r.at("workload"), r.at("params"),
                                r.value("backend_params", nlohmann::json::object()),
                                r.at("repetition")));
    return done;
}

void check_ranges(const RunOptions& opts) {
    if (opts.repetitions < 1 || opts.repetitions > 1000)
        throw UsageError(
            fmt::format("--repetitions {} is out of range: valid is 1..1000", opts.repetitions));
    if (opts.warmup < 0 || opts.warmup > 100)
        throw UsageError(fmt::format("--warmup {} is out of range: valid is 0..100", opts.warmup));
    if (!(opts.timeout_s > 0 && opts.timeout_s <= 86400))
        throw UsageError(
            fmt::format("--timeout {} is out of range: valid is a number of seconds "
                        "above 0 and at most 86400",
                        opts.timeout_s));
    if (opts.server_threads < 1 || opts.server_threads > 1024)
        throw UsageError(fmt::format("--server-threads {} is out of range: valid is 1..1024",
                                     opts.server_threads));
    check_error_rate(opts.max_error_rate);
}

}  // namespace

void check_error_rate(double rate) {
    if (!(rate >= 0 && rate <= 1))
        throw UsageError(fmt::format(
            "--max-error-rate {} is out of range: valid is a fraction of 0..1 (0.01 is 1%)", rate));
}

int run_suite(const RunOptions& given) {
    // Everything that can be wrong with the input is found before anything is written.
    const bool resuming = !given.resume.empty();
    RunOptions opts = resuming ? resumed_options(given) : given;
    check_ranges(opts);
    if (!opts.server_faults.empty())
        opts.server_faults = FaultRates::parse(opts.server_faults).text();
    const auto backends = select_backends(opts.backends);
    const auto workloads = select_workloads(opts.workloads);
    std::vector<ParamArg> args;
    for (const auto& p : opts.params) args.push_back(split_param_arg(p));
    const auto cells = expand_matrix(backends, workloads, args);

    const std::string out = opts.out.empty() ? default_out_name() : opts.out;
    const std::set<std::string> done = resuming ? finished_runs(out) : std::set<std::string>{};
    if (!resuming) prepare_out(out);
    ResultsFile results(out + "/results.jsonl");
    if (!resuming) {
        write_file_atomically(out + "/env.json", environment(opts.command_line).dump(2) + "\n");
        write_file_atomically(out + "/run.json", options_json(opts).dump(2) + "\n");
        if (opts.out.empty()) point_latest_at(out);
    }
    catch_interrupts();

    const std::string exe = self_executable();
    const auto timeout = std::chrono::milliseconds(static_cast<long long>(opts.timeout_s * 1000));
    const std::size_t total = cells.size() * static_cast<std::size_t>(opts.repetitions);
    Progress progress(total);
    fmt::print(stderr, "concbench: {} cells x {} repetitions -> {}/results.jsonl{}\n", cells.size(),
               opts.repetitions, out,
               resuming ? fmt::format(" (resuming: {} runs already there)", done.size()) : "");
    // One delay server for the whole suite, started when a cell first wants it and stopped
    // on the way out. If it cannot start, the runs that need it fail with the reason.
    std::optional<ServerFixture> server;
    std::string server_error;
    std::size_t started = 0, finished = 0;
    for (const auto& cell : cells) {
        std::vector<int> to_run;
        for (int rep = 0; rep < opts.repetitions; ++rep)
            if (done.count(run_key(cell, rep)))
                progress.finished_run();
            else
                to_run.push_back(rep);
        if (to_run.empty() || interrupted()) continue;
        const bool needs_server = wants_server(cell);
        if (needs_server && !server && server_error.empty()) {
            try {
                server.emplace(exe, opts.server_threads, opts.server_faults);
                progress.note(fmt::format(
                    "delay server on {} (pid {}){}", server->address(), server->pid(),
                    opts.server_faults.empty() ? "" : ", injecting faults " + opts.server_faults));
            } catch (const std::runtime_error& e) {
                server_error = e.what();
            }
        }
        const auto argv = child_argv(exe, cell, needs_server && server ? server->address() : "",
                                     opts.max_error_rate);
        const bool runnable = !needs_server || server;
        for (int w = 0; runnable && w < opts.warmup && !interrupted(); ++w)
            run_child(argv, timeout);
        std::vector<RunRecord> runs;
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
            results.append(to_json(r));
            progress.finished_run();
            ++finished;
            runs.push_back(std::move(r));
        }
        results.sync();
        write_summaries(out, opts.baseline);  // an interrupted suite still has its summary
        // Reading every record back costs memory in proportion to results.jsonl; hand it back
        // to the system, so that a long suite's footprint stays that of one summary pass.
        malloc_trim(0);
        if (!runs.empty()) progress.finished_cell(label(cell), runs);
    }
    progress.done();
    if (const int sig = interrupted()) {
        fmt::print(stderr,
                   "concbench: stopped by {}: {} runs started, {} finished now, {} before; "
                   "results in {}/results.jsonl. Continue with: concbench run --resume {}\n",
                   signal_name(sig), started, finished, done.size(), out, out);
        return 128 + sig;
    }
    // The table is read back from results.jsonl, like every report.
    const auto summaries =
        summarize_cells(read_results(out + "/results.jsonl").records, opts.baseline);
    fmt::print("\n{}\nResults: {}/results.jsonl\n", format_table(summaries), out);
    if (opts.report) report_main(out, opts.baseline);
    return 0;
}

}  // namespace concbench
