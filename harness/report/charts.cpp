#include "charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>

#include "build_info.hpp"
#include "child_runner.hpp"

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

/// A chart file the scripts wrote: a plain name in plots/, so an index cannot point the
/// HTML report (which inlines the file) anywhere else.
bool plain_file_name(const std::string& name) {
    return !name.empty() && name.front() != '.' && name.find('/') == std::string::npos;
}

}  // namespace

const std::vector<std::string>& chart_scripts() {
    static const std::vector<std::string> scripts = {"bars.py", "latency.py", "cpu_wall.py",
                                                     "sweep.py"};
    return scripts;
}

std::vector<Chart> read_charts(const fs::path& plots) {
    std::vector<Chart> charts;
    std::error_code ec;
    if (!fs::is_directory(plots, ec)) return charts;
    std::vector<fs::path> indexes;
    for (const auto& e : fs::directory_iterator(plots, ec))
        if (e.path().filename().string().rfind("index-", 0) == 0 && e.path().extension() == ".json")
            indexes.push_back(e.path());
    std::sort(indexes.begin(), indexes.end());
    for (const auto& p : indexes) {
        try {
            for (const auto& c : json::parse(read_text(p))) {
                Chart chart{c.value("kind", ""), c.value("group", ""), c.value("workload", ""),
                            c.value("title", ""), c.value("file", "")};
                if (plain_file_name(chart.file)) charts.push_back(std::move(chart));
            }
        } catch (const json::exception&) {
        }
    }
    return charts;
}

std::vector<std::string> draw_charts(const std::string& dir) {
    const char* python_env = std::getenv("CONCBENCH_PYTHON");
    const std::string python = python_env ? python_env : "/usr/bin/python3";
    const char* plots_env = std::getenv("CONCBENCH_PLOTS");
    const std::string scripts = plots_env ? plots_env : build_info::plots_dir;
    std::vector<std::string> problems;
    std::error_code ec;
    fs::remove_all(dir + "/plots", ec);  // charts of an earlier report may no longer apply
    // The scripts are independent: run them side by side. "--" so that a folder named
    // "-x" is a path to them, not an option.
    std::vector<std::pair<std::string, std::future<ChildResult>>> running;
    for (const std::string& script : chart_scripts())
        running.emplace_back(script, std::async(std::launch::async, [=] {
                                 return run_child({python, scripts + "/" + script, "--",
                                                   dir + "/summary.json", dir + "/plots"},
                                                  std::chrono::seconds(600));
                             }));
    for (auto& [script, future] : running) {
        const ChildResult r = future.get();
        if (r.end == ChildResult::End::interrupted) continue;  // write_report says so once
        if (r.end != ChildResult::End::exited || r.code != 0) {
            std::string why = r.stderr_tail;
            while (!why.empty() && why.back() == '\n') why.pop_back();
            why = why.substr(why.rfind('\n') == std::string::npos ? 0 : why.rfind('\n') + 1);
            problems.push_back(
                fmt::format("charts not drawn by {}: {}", script, why.empty() ? "it failed" : why));
        }
    }
    return problems;
}

}  // namespace concbench
