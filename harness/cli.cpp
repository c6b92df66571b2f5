#include "cli.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "build_info.hpp"
#include "compare.hpp"
#include "http_server.hpp"
#include "list_command.hpp"
#include "plugins.hpp"
#include "report.hpp"
#include "run_command.hpp"
#include "run_one.hpp"
#include "suggest.hpp"
#include "usage_error.hpp"

namespace concbench {

namespace {

std::string join_args(int argc, char** argv) {
    std::string out;
    for (int i = 0; i < argc; ++i) out += (i ? " " : "") + std::string(argv[i]);
    return out;
}

void write_fd(int fd, const std::string& text) {
    std::size_t off = 0;
    while (off < text.size()) {
        const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw std::runtime_error(fmt::format("write to fd {}: {}", fd, std::strerror(errno)));
        off += static_cast<std::size_t>(n);
    }
}

// Numbers on the command line follow --param's grammar: CLI11 alone would take "0x3" or " 2"
// for an integer, and "inf" or "0x1p3" for a number.
CLI::Validator integer() {
    return CLI::Validator(
        [](std::string& s) {
            return parse_decimal(s) ? std::string()
                                    : fmt::format("'{}' is not an integer (decimal digits)", s);
        },
        "INT", "integer");
}

CLI::Validator number() {
    return CLI::Validator(
        [](std::string& s) {
            double v = 0;
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v))
                return fmt::format("'{}' is not a decimal number", s);
            return std::string();
        },
        "NUMBER", "number");
}

/// "concbench bogus": one line naming the subcommands, instead of CLI11's "not expected".
std::string unknown_subcommand(CLI::App& app, const std::string& given) {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; }))
        names.push_back(sub->get_name());
    return fmt::format("unknown subcommand '{}': {}valid are {}", given, did_you_mean(given, names),
                       fmt::join(names, ", "));
}

}  // namespace

int cli_main(int argc, char** argv) {
    CLI::App app{"concbench: compare concurrency models on identical workloads"};
    app.require_subcommand(1);
    app.set_version_flag(
        "--version",
        fmt::format("concbench {} ({})", build_info::version, build_info::git_describe),
        "print the version and exit");
    app.fallthrough();  // --plugin may also follow the subcommand's name
    std::vector<std::string> plugin_paths;
    app.add_option("--plugin", plugin_paths,
                   "load out-of-tree workloads from this shared module; repeatable (also: every "
                   ".so in the folders of CONCBENCH_PLUGIN_PATH)")
        ->allow_extra_args(false);

    auto* list = app.add_subcommand("list", "list backends and workloads with their parameters");
    bool list_as_json = false;
    list->add_flag("--json", list_as_json, "print JSON instead of a table");

    RunOptions run_opts;
    auto* run =
        app.add_subcommand("run", "run a matrix of cells, each repetition in a fresh process");
    run->add_option("--backend", run_opts.backends, "comma-separated backends, or all")
        ->capture_default_str();
    run->add_option("--workload", run_opts.workloads, "comma-separated workloads, or all")
        ->capture_default_str();
    run->add_option("--param", run_opts.params,
                    "name=values: a value, a list (10,100) or a range (1:1000:*10); repeatable")
        ->allow_extra_args(false);
    run->add_option("--repetitions", run_opts.repetitions, "measured runs per cell")
        ->capture_default_str()
        ->check(integer());
    run->add_option("--warmup", run_opts.warmup, "unrecorded runs per cell before them")
        ->capture_default_str()
        ->check(integer());
    run->add_option("--timeout", run_opts.timeout_s, "seconds before a run is killed")
        ->capture_default_str()
        ->check(number());
    run->add_option("--server-threads", run_opts.server_threads,
                    "threads of the delay server started for target=auto")
        ->capture_default_str()
        ->check(integer());
    run->add_option("--baseline", run_opts.baseline,
                    "backend the report's ratios are taken against")
        ->capture_default_str();
    run->add_option("--server-fault", run_opts.server_faults,
                    "faults the delay server injects, as serve --fault (e.g. drop=1%,reset=1%)");
    run->add_option("--max-error-rate", run_opts.max_error_rate,
                    "a run whose failed operations exceed this fraction (0..1) is failed")
        ->capture_default_str()
        ->check(number());
    auto* resume = run->add_option("--resume", run_opts.resume,
                                   "finish the suite in this folder: runs not yet in its "
                                   "results.jsonl, with its own options");
    for (const char* name :
         {"--backend", "--workload", "--param", "--repetitions", "--warmup", "--timeout",
          "--server-threads", "--baseline", "--server-fault", "--max-error-rate"})
        resume->excludes(run->get_option(name));
    bool no_report = false;
    run->add_flag("--no-report", no_report,
                  "write results and summaries only: no charts or report");
    run->add_option("--out", run_opts.out,
                    "new or empty result folder (default results/<UTC time>-<id>)")
        ->excludes(resume);

    std::string one_backend, one_workload;
    std::vector<std::string> one_params;
    int result_fd = STDOUT_FILENO;
    auto* run_one = app.add_subcommand("run-one", "run one cell in this process, print its JSON");
    run_one->add_option("--backend", one_backend, "backend name")->required();
    run_one->add_option("--workload", one_workload, "workload name")->required();
    run_one->add_option("--param", one_params, "name=value; repeatable")->allow_extra_args(false);
    run_one->add_option("--result-fd", result_fd, "write the result JSON to this fd")
        ->capture_default_str()
        ->check(integer());
    CellOptions one_opts;
    run_one->add_option("--server", one_opts.server,
                        "address of the delay server for target=auto (default: start one)");
    run_one
        ->add_option("--server-threads", one_opts.server_threads,
                     "threads of the server started when --server is not given")
        ->capture_default_str()
        ->check(integer());
    run_one->add_option("--server-fault", one_opts.server_faults,
                        "faults of the server started when --server is not given");
    run_one
        ->add_option("--max-error-rate", one_opts.max_error_rate,
                     "a run whose failed operations exceed this fraction (0..1) is failed")
        ->capture_default_str()
        ->check(number());

    ServerOptions serve_opts;
    auto* serve = app.add_subcommand("serve", "run the HTTP delay server until SIGINT/SIGTERM");
    serve->add_option("--port", serve_opts.port, "port to listen on (0: a free one)")
        ->capture_default_str()
        ->check(integer());
    serve->add_option("--bind", serve_opts.bind, "loopback address to listen on")
        ->capture_default_str();
    serve->add_option("--threads", serve_opts.threads, "threads serving")
        ->capture_default_str()
        ->check(integer());
    std::vector<std::string> serve_faults;
    serve
        ->add_option("--fault", serve_faults,
                     "KIND=P[,KIND=P]: per request, with probability P (0.01 or 1%), drop the "
                     "connection, reset it mid-response, answer 500, or stall (KIND: drop, "
                     "reset, 500, stall); repeatable")
        ->allow_extra_args(false);
    serve->add_option("--fault-seed", serve_opts.fault_seed, "seed of the fault draws")
        ->capture_default_str()
        ->check(integer());
    std::int64_t stall_ms = serve_opts.stall.count();
    serve
        ->add_option("--stall-ms", stall_ms,
                     "a stalled request is dropped after this long unless the client gives up "
                     "first")
        ->capture_default_str()
        ->check(integer());

    std::string report_dir, baseline = "sync";
    auto* report = app.add_subcommand("report", "summaries, charts and reports of a result folder");
    report->add_option("dir", report_dir, "a folder written by concbench run")->required();
    report->add_option("--baseline", baseline, "backend the ratios are taken against")
        ->capture_default_str();

    std::string base_dir, new_dir;
    std::optional<double> fail_pct;
    auto* compare = app.add_subcommand("compare", "compare two result folders cell by cell");
    compare->add_option("base", base_dir, "the earlier result folder")->required();
    compare->add_option("new", new_dir, "the later result folder")->required();
    compare
        ->add_option("--fail-on-regression", fail_pct,
                     "exit 1 if a cell is significantly slower by more than PCT percent")
        ->check(number());

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);
        const auto extra = app.remaining();
        if (app.get_subcommands().empty() && !extra.empty() && extra.front()[0] != '-') {
            fmt::print(stderr, "concbench: error: {}\n", unknown_subcommand(app, extra.front()));
            return kExitUsage;
        }
        fmt::print(stderr, "concbench: error: {} (see concbench {} --help)\n", e.what(),
                   app.get_subcommands().empty() ? "" : app.get_subcommands().front()->get_name());
        return kExitUsage;
    }

    try {
        load_plugins(plugin_paths, std::getenv("CONCBENCH_PLUGIN_PATH"));
        if (list->parsed()) {
            fmt::print("{}", list_as_json ? list_json().dump(2) + "\n" : list_text());
            return 0;
        }
        if (serve->parsed()) {
            if (!serve_faults.empty())
                serve_opts.faults =
                    FaultRates::parse(fmt::format("{}", fmt::join(serve_faults, ",")));
            if (stall_ms < 1 || stall_ms > 3'600'000)
                throw UsageError(
                    fmt::format("--stall-ms {} is out of range: valid is 1..3600000", stall_ms));
            serve_opts.stall = std::chrono::milliseconds(stall_ms);
            return serve_main(serve_opts);
        }
        if (compare->parsed()) {
            if (fail_pct && !(*fail_pct >= 0))
                throw UsageError(
                    fmt::format("--fail-on-regression {} is out of range: give a "
                                "percentage of 0 or more",
                                *fail_pct));
            return compare_main(base_dir, new_dir, fail_pct);
        }
        if (report->parsed()) {
            check_not_blank("--baseline", baseline);
            if (!std::filesystem::is_regular_file(report_dir + "/results.jsonl") &&
                !std::filesystem::is_directory(report_dir + "/hyperfine"))
                throw UsageError(
                    fmt::format("{} has no results.jsonl (nor hyperfine/): give a "
                                "folder written by concbench run",
                                report_dir));
            if (report->get_option("--baseline")->count() > 0) check_baseline(report_dir, baseline);
            return report_main(report_dir, baseline);
        }
        if (run->parsed()) {
            // An option given empty (an unset shell variable) is a mistake, not the default.
            for (const auto& [name, value] :
                 {std::pair<const char*, const std::string&>{"--resume", run_opts.resume},
                  {"--out", run_opts.out},
                  {"--baseline", run_opts.baseline}})
                if (run->get_option(name)->count() > 0) check_not_blank(name, value);
            if (run->get_option("--baseline")->count() > 0) check_baseline_selected(run_opts);
            run_opts.command_line = join_args(argc, argv);
            run_opts.report = !no_report;
            return run_suite(run_opts);
        }
        const Cell cell = resolve_single_cell(one_backend, one_workload, one_params);
        check_error_rate(one_opts.max_error_rate);
        if (!one_opts.server_faults.empty())
            one_opts.server_faults = FaultRates::parse(one_opts.server_faults).text();
        const Measurement m = run_cell(cell, one_opts);
        write_fd(result_fd, to_json(m).dump() + "\n");
        return m.status == "ok" ? 0 : 1;
    } catch (const UsageError& e) {
        fmt::print(stderr, "concbench: error: {}\n", e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        fmt::print(stderr, "concbench: error: {}\n", e.what());
        return 1;
    }
}

}  // namespace concbench
