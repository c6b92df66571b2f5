// `concbench report DIR` and the end of `concbench run`: summaries, charts, then the report.
#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "charts.hpp"
#include "hyperfine.hpp"
#include "interrupt.hpp"
#include "micro_report.hpp"
#include "report.hpp"
#include "report_document.hpp"
#include "usage_error.hpp"

namespace concbench {

using nlohmann::json;

namespace {

/// DIR/env.json, or an empty object when it is missing or not an object.
json read_env(const std::string& dir) {
    std::ifstream in(dir + "/env.json");
    std::stringstream text;
    text << in.rdbuf();
    json env = json::object();
    try {
        env = json::parse(text.str());
    } catch (const json::exception&) {
    }
    return env.is_object() ? env : json::object();
}

/// One line and 128 + the signal: the charts may be partial, so no report is written from
/// them (the chart scripts write their indexes atomically, never half).
int stopped_by(int sig, const std::string& dir) {
    fmt::print(stderr,
               "concbench: report interrupted by {}: {}/report.md and report.html not written "
               "(summary.json is); run concbench report {} again\n",
               sig == SIGINT    ? "SIGINT"
               : sig == SIGTERM ? "SIGTERM"
                                : "a signal",
               dir, dir);
    return 128 + sig;
}

}  // namespace

void write_summaries(const std::string& dir, const std::string& baseline) {
    const RunSet set = read_results(dir + "/results.jsonl");
    const auto cells = summarize_cells(set.records, baseline);
    write_summary_files(dir, {cells, baseline, set.problems});
}

void check_baseline(const std::string& dir, const std::string& baseline) {
    std::set<std::string> backends;
    for (const auto& r : read_results(dir + "/results.jsonl").records)
        backends.insert(r.at("backend").get<std::string>());
    if (backends.empty() || backends.count(baseline)) return;
    throw UsageError(fmt::format("--baseline {} names no backend in {}/results.jsonl; there: {}",
                                 baseline, dir, fmt::join(backends, ", ")));
}

int write_report(const std::string& dir, const std::string& baseline, bool quiet) {
    catch_interrupts();
    std::error_code ec;
    if (has_micro_results(dir) && !std::filesystem::exists(dir + "/results.jsonl", ec))
        return write_micro_report(dir, quiet);  // a `make micro` folder
    const RunSet set = read_results(dir + "/results.jsonl");
    const auto cells = summarize_cells(set.records, baseline);
    std::vector<std::string> problems = set.problems;
    for (const auto& p : problems) fmt::print(stderr, "concbench: {}\n", p);
    if (!set.problems.empty())
        fmt::print(stderr, "concbench: {} line(s) of {}/results.jsonl skipped\n",
                   set.problems.size(), dir);
    write_summary_files(dir, {cells, baseline, set.problems});

    if (!cells.empty())
        for (const auto& p : draw_charts(dir)) {
            fmt::print(stderr, "concbench: {}\n", p);
            problems.push_back(p);
        }
    if (const int sig = interrupted()) return stopped_by(sig, dir);
    Document doc = build_report(cells, read_env(dir), problems, read_charts(dir + "/plots"),
                                hyperfine_tables(dir), set.problems.size());
    if (has_micro_results(dir)) {  // after draw_charts, which clears plots/
        std::vector<std::string> micro_problems;
        const Document micro = micro_section(dir, micro_problems);
        doc.insert(doc.end(), micro.begin(), micro.end());
        for (const auto& p : micro_problems) fmt::print(stderr, "concbench: {}\n", p);
    }
    write_report_files(dir, doc);
    if (!quiet) fmt::print("Report: {}/report.md and {}/report.html\n", dir, dir);
    return 0;
}

}  // namespace concbench
