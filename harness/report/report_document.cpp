// The layout of report.md and report.html: one Document, section by section.
#include "report_document.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "claims.hpp"
#include "fields.hpp"
#include "hyperfine.hpp"
#include "narrative.hpp"

namespace concbench {

using nlohmann::json;

namespace {

/// Appends blocks to a document.
struct Writer {
    Document& doc;

    void heading(int level, std::string text) {
        doc.push_back({Block::Kind::heading, level, std::move(text)});
    }
    void paragraph(std::string text) {
        doc.push_back({Block::Kind::paragraph, 0, std::move(text)});
    }
    void bullets(std::vector<std::string> items) {
        if (!items.empty()) doc.push_back({Block::Kind::bullets, 0, "", std::move(items)});
    }
    template <typename Match>
    void images(const std::vector<Chart>& charts, Match match) {
        for (const auto& c : charts)
            if (match(c))
                doc.push_back({Block::Kind::image, 0, c.title, {}, {}, "plots/" + c.file});
    }
};

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

void machine(Writer& w, const json& env) {
    if (env.contains("command_line"))
        w.doc.push_back({Block::Kind::code, 0, env_line(env, "command_line")});
    if (env.empty()) {
        w.paragraph("No env.json in this folder: the machine and build are not recorded.");
        return;
    }
    w.bullets({fmt::format("CPU: {} ({} cores, governor {})", env_line(env, "cpu_model"),
                           env_line(env, "cores"), env_line(env, "cpu_governor")),
               fmt::format("Kernel: {} {}", env_line(env, "kernel"), env_line(env, "machine")),
               fmt::format("Compiler: {} ({}, {})", env_line(env, "compiler"),
                           env_line(env, "compiler_flags"), env_line(env, "build_type")),
               fmt::format("Boost {}, oneTBB {}", env_line(env, "boost_version"),
                           env_line(env, "onetbb_version")),
               fmt::format("concbench {} on {}, {}", env_line(env, "git_describe"),
                           env_line(env, "host"), env_line(env, "date"))});
}

void what_was_run(Writer& w, const std::vector<CellSummary>& cells, const json& env,
                  std::size_t skipped_lines) {
    w.heading(1, "concbench report");
    w.heading(2, "What was run");
    machine(w, env);
    w.paragraph(
        fmt::format("Ratios are the {0} median over the backend's median: 2.00× means twice as "
                    "fast as {0}. Intervals are 95%: order statistics for medians, a "
                    "bootstrap for ratios. Efficiency is the workload's ideal (lower-bound) "
                    "wall time over the median.",
                    cells.empty() ? std::string("sync") : cells.front().baseline));
    if (skipped_lines > 0)
        w.paragraph(fmt::format(
            "{} line{} of results.jsonl did not keep the results contract and "
            "{} skipped (listed under Failures): {} not in these numbers.",
            skipped_lines, skipped_lines == 1 ? "" : "s", skipped_lines == 1 ? "was" : "were",
            skipped_lines == 1 ? "its run is" : "their runs are"));
    if (cells.empty()) w.paragraph("No runs in results.jsonl.");
}

/// The claims the cells test, each with its verdict and figures: the answer first.
void claims_section(Writer& w, const std::vector<CellSummary>& cells) {
    const auto claims = evaluate_claims(cells);
    if (claims.empty()) return;
    w.heading(2, "Claims");
    w.paragraph(
        "What async tutorials claim, tested on the cells below. A verdict is computed from the "
        "medians: a clear difference is 1.5× or more, two medians within 1.25× are the same.");
    Block t{Block::Kind::table};
    t.items = {"Claim", "Verdict", "Because", "Cells"};
    for (const auto& c : claims)
        t.rows.push_back({c.claim, to_string(c.verdict), c.because,
                          fmt::format("{}", fmt::join(c.cells, "; "))});
    w.doc.push_back(std::move(t));
}

/// Cells by group, and the groups of each workload, in first-appearance order.
struct Groups {
    std::vector<std::string> workloads;
    std::map<std::string, std::vector<const CellSummary*>> cells;
    std::map<std::string, std::vector<std::string>> of_workload;
};

Groups group_cells(const std::vector<CellSummary>& cells) {
    Groups g;
    for (const auto& c : cells) {
        if (std::find(g.workloads.begin(), g.workloads.end(), c.workload) == g.workloads.end())
            g.workloads.push_back(c.workload);
        auto& members = g.cells[c.group_key()];
        if (members.empty()) g.of_workload[c.workload].push_back(c.group_key());
        members.push_back(&c);
    }
    return g;
}

/// Per workload, a section per parameter set: the backends side by side. Returns the
/// cells' warnings.
std::vector<std::string> workload_sections(Writer& w, const std::vector<CellSummary>& cells,
                                           const std::vector<Chart>& charts) {
    std::vector<std::string> warnings;
    Groups groups = group_cells(cells);
    for (const auto& name : groups.workloads) {
        w.heading(2, "Workload " + name);
        for (const auto& g : groups.of_workload[name]) {
            const auto& group = groups.cells[g];
            w.heading(3, fmt::format("{}: {}", name, group.front()->params_text()));
            w.doc.push_back(table_of(group));
            w.bullets(what_this_shows(group));
            w.images(charts, [&](const Chart& c) { return c.group == g; });
            for (const auto* c : group)
                for (const auto& warning : c->warnings)
                    warnings.push_back(fmt::format("{} {} on {}: {}", name, c->params_text(),
                                                   c->backend, warning));
        }
        const auto sweep = [&](const Chart& c) { return c.kind == "sweep" && c.workload == name; };
        if (std::any_of(charts.begin(), charts.end(), sweep)) {
            w.heading(3, name + ": sweeps");
            w.images(charts, sweep);
        }
    }
    return warnings;
}

void hyperfine_section(Writer& w, const std::vector<std::pair<std::string, std::string>>& tables) {
    if (tables.empty()) return;
    w.heading(2, "Whole-process timings (hyperfine)");
    for (const auto& [name, text] : tables) {
        w.heading(3, name);
        w.doc.push_back(parse_markdown_table(text));
    }
}

void failures_section(Writer& w, const std::vector<CellSummary>& cells,
                      const std::vector<std::string>& problems) {
    std::vector<std::string> failures;
    for (const auto& c : cells)
        if (c.ok < c.runs)
            failures.push_back(fmt::format("{} {} on {}: {} — {}", c.workload, c.params_text(),
                                           c.backend, status_text(c), capped_error(c.first_error)));
    w.heading(2, "Failures");
    if (failures.empty() && problems.empty()) w.paragraph("Every run succeeded.");
    w.bullets(failures);
    // A file of a million bad lines should not make a million-line report.
    constexpr std::size_t kShown = 50;
    std::vector<std::string> shown(problems.begin(),
                                   problems.begin() + std::min(problems.size(), kShown));
    if (problems.size() > kShown)
        shown.push_back(
            fmt::format("… and {} more (all in summary.json)", problems.size() - kShown));
    w.bullets(shown);
}

}  // namespace

Document build_report(const std::vector<CellSummary>& cells, const json& env,
                      const std::vector<std::string>& problems, const std::vector<Chart>& charts,
                      const std::vector<std::pair<std::string, std::string>>& hyperfine,
                      std::size_t skipped_lines) {
    Document doc;
    Writer w{doc};
    what_was_run(w, cells, env, skipped_lines);
    claims_section(w, cells);
    const auto warnings = workload_sections(w, cells, charts);
    hyperfine_section(w, hyperfine);
    if (!warnings.empty()) {
        w.heading(2, "Warnings");
        w.paragraph("Cells whose timings deserve more repetitions or a quieter machine:");
        w.bullets(warnings);
    }
    failures_section(w, cells, problems);
    return doc;
}

}  // namespace concbench
