// `concbench report DIR`: the command line of a report (report/write_report).
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "command.hpp"
#include "report.hpp"
#include "run_options.hpp"
#include "usage_error.hpp"

namespace concbench {

namespace {
struct ReportArgs {
    std::string dir, baseline = "sync";
};
}  // namespace

CommandMain add_report_command(CLI::App& app) {
    auto a = std::make_shared<ReportArgs>();
    auto* report = app.add_subcommand("report", "summaries, charts and reports of a result folder");
    report->add_option("dir", a->dir, "a folder written by concbench run")->required();
    report->add_option("--baseline", a->baseline, "backend the ratios are taken against")
        ->capture_default_str();
    return [a, report](const std::string&) {
        check_not_blank("--baseline", a->baseline);
        if (!std::filesystem::is_regular_file(a->dir + "/results.jsonl") &&
            !std::filesystem::is_directory(a->dir + "/hyperfine") &&
            !std::filesystem::is_regular_file(a->dir + "/micro.json"))
            throw UsageError(fmt::format(
                "{} has no results.jsonl (nor hyperfine/, nor micro.json): give a folder "
                "written by concbench run (or by make micro)",
                a->dir));
        if (report->get_option("--baseline")->count() > 0) check_baseline(a->dir, a->baseline);
        return write_report(a->dir, a->baseline);
    };
}

}  // namespace concbench
