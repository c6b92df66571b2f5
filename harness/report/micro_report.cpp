#include "micro_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "build_info.hpp"
#include "child_runner.hpp"
#include "results_file.hpp"
#include "usage_error.hpp"

namespace concbench {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// The parts Google Benchmark appends to a registered name ("/process_time/real_time",
/// "/repeats:3", ...): not part of the primitive or the backend.
bool benchmark_suffix(const std::string& part) {
    static const char* const prefixes[] = {"threads:", "repeats:", "min_time:", "iterations:",
                                           "min_warmup_time:"};
    if (part == "process_time" || part == "real_time" || part == "manual_time") return true;
    return std::any_of(std::begin(prefixes), std::end(prefixes),
                       [&](const char* p) { return part.rfind(p, 0) == 0; });
}

double ns_per(const std::string& unit) {
    if (unit == "ns") return 1;
    if (unit == "us") return 1e3;
    if (unit == "ms") return 1e6;
    if (unit == "s") return 1e9;
    throw std::runtime_error(fmt::format("time_unit \"{}\" is not ns, us, ms or s", unit));
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// "3.53", "193", "31,265": three significant digits below 1000, whole numbers above.
std::string ns_text(double ns) {
    if (ns < 10) return fmt::format("{:.2f}", ns);
    if (ns < 100) return fmt::format("{:.1f}", ns);
    const std::string digits = fmt::format("{:.0f}", ns);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

json micro_summary(const MicroTable& t) {
    json rows = json::array();
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        json real = json::object(), cpu = json::object();
        for (std::size_t b = 0; b < t.backends.size(); ++b) {
            const MicroCell& c = t.cells[r][b];
            real[t.backends[b]] = c.real_ns ? json(*c.real_ns) : json(nullptr);
            cpu[t.backends[b]] = c.cpu_ns ? json(*c.cpu_ns) : json(nullptr);
        }
        rows.push_back({{"primitive", t.rows[r]}, {"real_ns", real}, {"cpu_ns", cpu}});
    }
    return {{"unit", "ns"}, {"backends", t.backends}, {"rows", rows}};
}

/// plots/micro.py on DIR/micro_summary.json; why the chart is missing, if it is.
std::optional<std::string> draw_micro_chart(const std::string& dir) {
    const char* python_env = std::getenv("CONCBENCH_PYTHON");
    const char* plots_env = std::getenv("CONCBENCH_PLOTS");
    const std::string python = python_env ? python_env : "/usr/bin/python3";
    const std::string scripts = plots_env ? plots_env : build_info::plots_dir;
    const ChildResult r = run_child({python, scripts + "/micro.py", "--",
                                     dir + "/micro_summary.json", dir + "/plots"},
                                    std::chrono::seconds(600));
    if (r.end == ChildResult::End::interrupted) return std::nullopt;  // the caller says so
    if (r.end == ChildResult::End::exited && r.code == 0) return std::nullopt;
    std::string why = r.stderr_tail;
    while (!why.empty() && why.back() == '\n') why.pop_back();
    why = why.substr(why.rfind('\n') == std::string::npos ? 0 : why.rfind('\n') + 1);
    return fmt::format("chart not drawn by micro.py: {}", why.empty() ? "it failed" : why);
}

Block table(const MicroTable& t, std::optional<double> MicroCell::*figure) {
    Block out{Block::Kind::table};
    out.items.push_back("primitive");
    for (const auto& b : t.backends) out.items.push_back(b);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        std::vector<std::string> row{t.rows[r]};
        for (const MicroCell& c : t.cells[r])
            row.push_back(c.*figure ? ns_text(*(c.*figure)) : c.error.empty() ? "-" : "n/a");
        out.rows.push_back(std::move(row));
    }
    return out;
}

/// What Google Benchmark recorded of the machine: host, CPUs, load, its own build type.
std::string context_line(const json& j) {
    const json ctx = j.value("context", json::object());
    const auto text = [&](const char* key) -> std::string {
        if (!ctx.contains(key)) return "?";
        const json& v = ctx.at(key);
        return v.is_string() ? v.get<std::string>() : v.dump();
    };
    std::string load = "?";
    if (ctx.contains("load_avg") && ctx.at("load_avg").is_array()) {
        std::vector<std::string> parts;
        for (const auto& v : ctx.at("load_avg"))
            if (v.is_number()) parts.push_back(fmt::format("{:.2f}", v.get<double>()));
        load = fmt::format("{}", fmt::join(parts, " "));
    }
    return fmt::format(
        "Run on {} ({} CPUs at {} MHz), {}; load average {}; Google Benchmark library built as "
        "{}.",
        text("host_name"), text("num_cpus"), text("mhz_per_cpu"), text("date"), load,
        text("library_build_type"));
}

}  // namespace

bool has_micro_results(const std::string& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir + "/micro.json", ec);
}

MicroTable micro_table(const json& j) {
    if (!j.is_object() || !j.contains("benchmarks") || !j.at("benchmarks").is_array())
        throw std::runtime_error("it has no \"benchmarks\" list");
    struct Figures {
        std::vector<double> real, cpu;
        std::string error;
    };
    MicroTable t;
    std::map<std::pair<std::string, std::string>, Figures> found;
    const auto add_once = [](std::vector<std::string>& list, const std::string& s) {
        if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
    };
    std::size_t n = 0;
    for (const json& b : j.at("benchmarks")) {
        ++n;
        if (!b.is_object() || !b.contains("name") || !b.at("name").is_string())
            throw std::runtime_error(fmt::format("benchmark {} has no name", n));
        if (b.value("run_type", "iteration") != "iteration") continue;  // aggregates: ours
        const std::string name = b.value("run_name", b.at("name").get<std::string>());
        std::vector<std::string> parts;
        std::stringstream ss(name);
        for (std::string part; std::getline(ss, part, '/');)
            if (!benchmark_suffix(part)) parts.push_back(part);
        if (parts.size() < 2)
            throw std::runtime_error(
                fmt::format("benchmark \"{}\" is not named <primitive>/<backend>", name));
        std::string row = parts[0];
        for (std::size_t i = 2; i < parts.size(); ++i) row += " " + parts[i];
        add_once(t.rows, row);
        add_once(t.backends, parts[1]);
        Figures& f = found[{row, parts[1]}];
        if (b.value("error_occurred", false)) {
            f.error = b.value("error_message", "it did not run");
            continue;
        }
        const auto number = [&](const char* key) {
            if (!b.contains(key) || !b.at(key).is_number())
                throw std::runtime_error(fmt::format("benchmark \"{}\" has no {}", name, key));
            return b.at(key).get<double>() * ns_per(b.value("time_unit", "ns"));
        };
        f.real.push_back(number("real_time"));
        f.cpu.push_back(number("cpu_time"));
    }
    t.cells.assign(t.rows.size(), std::vector<MicroCell>(t.backends.size()));
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (std::size_t c = 0; c < t.backends.size(); ++c) {
            auto it = found.find({t.rows[r], t.backends[c]});
            if (it == found.end()) continue;
            MicroCell& cell = t.cells[r][c];
            cell.error = it->second.error;
            if (!it->second.real.empty()) {
                cell.real_ns = median(it->second.real);
                cell.cpu_ns = median(it->second.cpu);
            }
        }
    return t;
}

Document micro_section(const std::string& dir, std::vector<std::string>& problems) {
    const std::string path = dir + "/micro.json";
    json j;
    MicroTable t;
    try {
        j = json::parse(read_text(path));
        t = micro_table(j);
    } catch (const std::exception& e) {
        throw UsageError(fmt::format(
            "{} is not Google Benchmark's JSON of concbench-micro ({}): write it with "
            "build/concbench-micro --benchmark_out={} --benchmark_out_format=json",
            path, e.what(), path));
    }
    write_file_atomically(dir + "/micro_summary.json", micro_summary(t).dump(1) + "\n");
    if (auto why = draw_micro_chart(dir)) problems.push_back(*why);

    Document doc;
    doc.push_back({Block::Kind::heading, 2, "Micro-benchmarks: the backends' primitives"});
    doc.push_back({Block::Kind::paragraph, 0,
                   "Nanoseconds per operation (wall-clock, the median over repetitions; lower "
                   "is better), measured by build/concbench-micro (Google Benchmark): one root "
                   "task does the primitive n times between the timer's start and stop, so "
                   "what run() costs to set up is not in these figures. docs/micro.md says what "
                   "each primitive does on each backend. n/a: not applicable or failed (why, "
                   "below); -: not run."});
    doc.push_back(table(t, &MicroCell::real_ns));
    std::error_code ec;
    if (fs::is_regular_file(dir + "/plots/micro.png", ec))
        doc.push_back({Block::Kind::image, 0,
                       "ns per operation per primitive and backend (log scale)", {}, {},
                       "plots/micro.png"});
    doc.push_back({Block::Kind::heading, 3, "Process CPU time per operation (ns)"});
    doc.push_back({Block::Kind::paragraph, 0,
                   "CPU time of every thread of the process per operation: above the wall-clock "
                   "figure where several threads work at once, below it where the operation "
                   "waits (a timer, a wake)."});
    doc.push_back(table(t, &MicroCell::cpu_ns));
    std::vector<std::string> skipped;
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (std::size_t c = 0; c < t.backends.size(); ++c)
            if (!t.cells[r][c].error.empty())
                skipped.push_back(
                    fmt::format("{} on {}: {}", t.rows[r], t.backends[c], t.cells[r][c].error));
    if (!skipped.empty()) {
        doc.push_back({Block::Kind::heading, 3, "Not measured"});
        doc.push_back({Block::Kind::bullets, 0, "", skipped});
    }
    doc.push_back({Block::Kind::paragraph, 0, context_line(j)});
    doc.push_back({Block::Kind::paragraph, 0,
                   "Two runs compare with Google Benchmark's own tool: compare.py benchmarks "
                   "A/micro.json B/micro.json (tools/compare.py in its source)."});
    return doc;
}

int write_micro_report(const std::string& dir, bool quiet) {
    std::vector<std::string> problems;
    Document doc{{Block::Kind::heading, 1, "concbench micro-benchmarks"}};
    Document section = micro_section(dir, problems);
    doc.insert(doc.end(), section.begin(), section.end());
    for (const auto& p : problems) fmt::print(stderr, "concbench: {}\n", p);
    if (!problems.empty()) {
        doc.push_back({Block::Kind::heading, 2, "Warnings"});
        doc.push_back({Block::Kind::bullets, 0, "", problems});
    }
    write_report_files(dir, doc);
    if (!quiet) fmt::print("Report: {}/report.md and {}/report.html\n", dir, dir);
    return 0;
}

}  // namespace concbench
