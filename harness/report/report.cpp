#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "fields.hpp"
#include "interrupt.hpp"
#include "results_file.hpp"
#include "summary_table.hpp"
#include "usage_error.hpp"

namespace concbench {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A hyperfine Markdown table as a table block.
Block parse_markdown_table(const std::string& text) {
    Block t{Block::Kind::table};
    t.markdown = true;  // its cells are Markdown already (`command` code spans)
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("|", 0) != 0 || line.find(":---") != std::string::npos) continue;
        std::vector<std::string> cols;
        std::stringstream ss(line.substr(1));
        for (std::string col; std::getline(ss, col, '|');) {
            const auto b = col.find_first_not_of(' '), e = col.find_last_not_of(' ');
            cols.push_back(b == std::string::npos ? "" : col.substr(b, e - b + 1));
        }
        if (t.items.empty())
            t.items = cols;
        else
            t.rows.push_back(cols);
    }
    return t;
}

Block table_of(const std::vector<const CellSummary*>& group) {
    std::vector<const Field*> columns;
    for (const auto& f : summary_fields()) {
        const auto empty = [&f](const CellSummary* c) { return f.text(*c) == "-"; };
        if (!f.header.empty() &&
            !(f.hide_when_empty && std::all_of(group.begin(), group.end(), empty)))
            columns.push_back(&f);
    }
    Block t{Block::Kind::table};
    for (const auto* f : columns) t.items.push_back(f->header);
    for (const auto* c : group) {
        std::vector<std::string> row;
        for (const auto* f : columns) row.push_back(f->text(*c));
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::string env_line(const json& env, const char* key) {
    if (!env.contains(key) || env.at(key).is_null()) return "?";
    return env.at(key).is_string() ? env.at(key).get<std::string>() : env.at(key).dump();
}

}  // namespace

std::vector<std::string> what_this_shows(const std::vector<const CellSummary*>& group) {
    std::vector<std::string> out;
    std::vector<const CellSummary*> ok;
    for (const auto* c : group)
        if (c->ok > 0) ok.push_back(c);
    if (!ok.empty()) {
        const auto* fastest = *std::min_element(
            ok.begin(), ok.end(), [](auto* a, auto* b) { return a->wall.median < b->wall.median; });
        const std::string& base = fastest->baseline;
        if (fastest->backend != base && fastest->vs_baseline) {
            const auto& r = *fastest->vs_baseline;
            out.push_back(fmt::format("{} is {:.2f}× faster than {} (95% CI {:.2f}–{:.2f}).",
                                      fastest->backend, r.value, base, r.ci.low, r.ci.high));
        } else if (ok.size() > 1) {
            const CellSummary* second = nullptr;
            for (const auto* c : ok)
                if (c != fastest && (!second || c->wall.median < second->wall.median)) second = c;
            out.push_back(fmt::format("{} is fastest; the next, {}, takes {:.2f}× as long.",
                                      fastest->backend, second->backend,
                                      second->wall.median / fastest->wall.median));
        }
        const CellSummary* most = nullptr;
        const CellSummary* least = nullptr;
        for (const auto* c : ok) {
            if (!c->peak_rss_bytes) continue;
            if (!most || *c->peak_rss_bytes > *most->peak_rss_bytes) most = c;
            if (!least || *c->peak_rss_bytes < *least->peak_rss_bytes) least = c;
        }
        if (most && least && *most->peak_rss_bytes >= 1.5 * *least->peak_rss_bytes)
            out.push_back(fmt::format("{} used {:.1f}× the memory of {} ({} vs {}).", most->backend,
                                      *most->peak_rss_bytes / *least->peak_rss_bytes,
                                      least->backend, format_bytes(*most->peak_rss_bytes),
                                      format_bytes(*least->peak_rss_bytes)));
    }
    for (const auto* c : group)
        if (c->ok < c->runs)
            out.push_back(fmt::format("{}: {} of {} runs did not succeed ({}).", c->backend,
                                      c->runs - c->ok, c->runs, capped_error(c->first_error)));
    return out;
}

Document build_report(const std::vector<CellSummary>& cells, const json& env,
                      const std::vector<std::string>& problems, const std::vector<Chart>& charts,
                      const std::vector<std::pair<std::string, std::string>>& hyperfine,
                      std::size_t skipped_lines) {
    Document doc;
    auto heading = [&](int level, std::string text) {
        doc.push_back({Block::Kind::heading, level, std::move(text)});
    };
    auto paragraph = [&](std::string text) {
        doc.push_back({Block::Kind::paragraph, 0, std::move(text)});
    };
    auto bullets = [&](std::vector<std::string> items) {
        if (!items.empty()) doc.push_back({Block::Kind::bullets, 0, "", std::move(items)});
    };
    auto images = [&](auto match) {
        for (const auto& c : charts)
            if (match(c))
                doc.push_back({Block::Kind::image, 0, c.title, {}, {}, "plots/" + c.file});
    };

    heading(1, "concbench report");
    heading(2, "What was run");
    if (env.contains("command_line"))
        doc.push_back({Block::Kind::code, 0, env_line(env, "command_line")});
    if (env.empty()) {
        paragraph("No env.json in this folder: the machine and build are not recorded.");
    } else {
        bullets({fmt::format("CPU: {} ({} cores, governor {})", env_line(env, "cpu_model"),
                             env_line(env, "cores"), env_line(env, "cpu_governor")),
                 fmt::format("Kernel: {} {}", env_line(env, "kernel"), env_line(env, "machine")),
                 fmt::format("Compiler: {} ({}, {})", env_line(env, "compiler"),
                             env_line(env, "compiler_flags"), env_line(env, "build_type")),
                 fmt::format("Boost {}, oneTBB {}", env_line(env, "boost_version"),
                             env_line(env, "onetbb_version")),
                 fmt::format("concbench {} on {}, {}", env_line(env, "git_describe"),
                             env_line(env, "host"), env_line(env, "date"))});
    }
    paragraph(
        fmt::format("Ratios are the {0} median over the backend's median: 2.00× means twice as "
                    "fast as {0}. Intervals are 95%: order statistics for medians, a "
                    "bootstrap for ratios. Efficiency is the workload's ideal (lower-bound) "
                    "wall time over the median.",
                    cells.empty() ? std::string("sync") : cells.front().baseline));
    if (skipped_lines > 0)
        paragraph(fmt::format("{} line{} of results.jsonl did not keep the results contract and "
                              "{} skipped (listed under Failures): {} not in these numbers.",
                              skipped_lines, skipped_lines == 1 ? "" : "s",
                              skipped_lines == 1 ? "was" : "were",
                              skipped_lines == 1 ? "its run is" : "their runs are"));
    if (cells.empty()) paragraph("No runs in results.jsonl.");

    // Per workload, a section per parameter set: the backends side by side.
    std::vector<std::string> workloads;
    for (const auto& c : cells)
        if (std::find(workloads.begin(), workloads.end(), c.workload) == workloads.end())
            workloads.push_back(c.workload);
    std::vector<std::string> warnings;
    // Cells by group, groups by workload, in first-appearance order.
    std::map<std::string, std::vector<const CellSummary*>> by_group;
    std::map<std::string, std::vector<std::string>> groups_of;
    for (const auto& c : cells) {
        auto& members = by_group[c.group_key()];
        if (members.empty()) groups_of[c.workload].push_back(c.group_key());
        members.push_back(&c);
    }
    for (const auto& w : workloads) {
        heading(2, "Workload " + w);
        for (const auto& g : groups_of[w]) {
            const auto& group = by_group[g];
            heading(3, fmt::format("{}: {}", w, group.front()->params_text()));
            doc.push_back(table_of(group));
            bullets(what_this_shows(group));
            images([&](const Chart& c) { return c.group == g; });
            for (const auto* c : group)
                for (const auto& warning : c->warnings)
                    warnings.push_back(
                        fmt::format("{} {} on {}: {}", w, c->params_text(), c->backend, warning));
        }
        if (std::any_of(charts.begin(), charts.end(),
                        [&](const Chart& c) { return c.kind == "sweep" && c.workload == w; })) {
            heading(3, w + ": sweeps");
            images([&](const Chart& c) { return c.kind == "sweep" && c.workload == w; });
        }
    }

    if (!hyperfine.empty()) {
        heading(2, "Whole-process timings (hyperfine)");
        for (const auto& [name, text] : hyperfine) {
            heading(3, name);
            doc.push_back(parse_markdown_table(text));
        }
    }
    if (!warnings.empty()) {
        heading(2, "Warnings");
        paragraph("Cells whose timings deserve more repetitions or a quieter machine:");
        bullets(warnings);
    }
    std::vector<std::string> failures;
    for (const auto& c : cells)
        if (c.ok < c.runs)
            failures.push_back(fmt::format("{} {} on {}: {} — {}", c.workload, c.params_text(),
                                           c.backend, status_text(c),
                                           capped_error(c.first_error)));
    heading(2, "Failures");
    if (failures.empty() && problems.empty()) paragraph("Every run succeeded.");
    bullets(failures);
    // A file of a million bad lines should not make a million-line report.
    constexpr std::size_t kShown = 50;
    std::vector<std::string> shown(problems.begin(),
                                   problems.begin() + std::min(problems.size(), kShown));
    if (problems.size() > kShown)
        shown.push_back(fmt::format("… and {} more (all in summary.json)", problems.size() - kShown));
    bullets(shown);
    return doc;
}

void write_summaries(const std::string& dir, const std::string& baseline) {
    const RunSet set = read_results(dir + "/results.jsonl");
    const auto cells = summarize_cells(set.records, baseline);
    write_file_atomically(dir + "/summary.json", to_summary_json(cells, baseline, set.problems));
    write_file_atomically(dir + "/summary.csv", to_summary_csv(cells));
}

void check_baseline(const std::string& dir, const std::string& baseline) {
    std::set<std::string> backends;
    for (const auto& r : read_results(dir + "/results.jsonl").records)
        backends.insert(r.at("backend").get<std::string>());
    if (backends.empty() || backends.count(baseline)) return;
    throw UsageError(fmt::format("--baseline {} names no backend in {}/results.jsonl; there: {}",
                                 baseline, dir, fmt::join(backends, ", ")));
}

namespace {

std::vector<std::pair<std::string, std::string>> hyperfine_tables(const std::string& dir) {
    std::vector<std::pair<std::string, std::string>> hyperfine;
    std::error_code ec;
    if (!fs::is_directory(dir + "/hyperfine", ec)) return hyperfine;
    std::vector<fs::path> mds;
    for (const auto& e : fs::directory_iterator(dir + "/hyperfine", ec))
        if (e.path().extension() == ".md") mds.push_back(e.path());
    std::sort(mds.begin(), mds.end());
    for (const auto& p : mds) hyperfine.emplace_back(p.stem().string(), read_text(p));
    return hyperfine;
}

/// One line and 128 + the signal: the charts may be partial, so no report is written from
/// them (the chart scripts write their indexes atomically, never half).
int stopped_by(int sig, const std::string& dir) {
    fmt::print(stderr,
               "concbench: report interrupted by {}: {}/report.md and report.html not written "
               "(summary.json is); run concbench report {} again\n",
               sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal", dir, dir);
    return 128 + sig;
}

}  // namespace

int write_report(const std::string& dir, const std::string& baseline, bool quiet) {
    catch_interrupts();
    const RunSet set = read_results(dir + "/results.jsonl");
    const auto cells = summarize_cells(set.records, baseline);
    std::vector<std::string> problems = set.problems;
    for (const auto& p : problems) fmt::print(stderr, "concbench: {}\n", p);
    if (!set.problems.empty())
        fmt::print(stderr, "concbench: {} line(s) of {}/results.jsonl skipped\n",
                   set.problems.size(), dir);
    write_file_atomically(dir + "/summary.json", to_summary_json(cells, baseline, set.problems));
    write_file_atomically(dir + "/summary.csv", to_summary_csv(cells));

    if (!cells.empty())
        for (const auto& p : draw_charts(dir)) {
            fmt::print(stderr, "concbench: {}\n", p);
            problems.push_back(p);
        }
    if (const int sig = interrupted()) return stopped_by(sig, dir);
    json env = json::object();
    try {
        env = json::parse(read_text(dir + "/env.json"));
    } catch (const json::exception&) {
    }
    if (!env.is_object()) env = json::object();
    const Document doc = build_report(cells, env, problems, read_charts(dir + "/plots"),
                                      hyperfine_tables(dir), set.problems.size());
    write_file_atomically(dir + "/report.md", to_markdown(doc));
    write_file_atomically(dir + "/report.html", to_html(doc, dir));
    if (!quiet) fmt::print("Report: {}/report.md and {}/report.html\n", dir, dir);
    return 0;
}

}  // namespace concbench
