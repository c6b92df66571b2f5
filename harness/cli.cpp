#include "cli.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <stdexcept>

#include "build_info.hpp"
#include "command.hpp"
#include "plugins.hpp"
#include "suggest.hpp"
#include "usage_error.hpp"

namespace concbench {

namespace {

// In the order `concbench --help` and "valid are ..." list them.
constexpr AddCommand kCommands[] = {add_list_command,  add_run_command,    add_run_one_command,
                                    add_serve_command, add_report_command, add_compare_command};

std::string join_args(int argc, char** argv) {
    std::string out;
    for (int i = 0; i < argc; ++i) out += (i ? " " : "") + std::string(argv[i]);
    return out;
}

/// "concbench bogus": one line naming the subcommands, instead of CLI11's "not expected".
std::string unknown_subcommand(CLI::App& app, const std::string& given) {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; }))
        names.push_back(sub->get_name());
    return fmt::format("unknown subcommand '{}': {}valid are {}", given, did_you_mean(given, names),
                       fmt::join(names, ", "));
}

/// CLI11's parse error as one line and exit 2 (0 and its output for --help and --version).
int parse_error(CLI::App& app, const CLI::ParseError& e) {
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
    std::vector<std::pair<const CLI::App*, CommandMain>> commands;
    for (const AddCommand add : kCommands) {
        CommandMain main = add(app);
        commands.emplace_back(app.get_subcommands([](CLI::App*) { return true; }).back(),
                              std::move(main));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return parse_error(app, e);
    }
    try {
        load_plugins(plugin_paths, std::getenv("CONCBENCH_PLUGIN_PATH"));
        for (const auto& [sub, main] : commands)
            if (sub->parsed()) return main(join_args(argc, argv));
        return kExitUsage;  // not reached: require_subcommand(1)
    } catch (const UsageError& e) {
        fmt::print(stderr, "concbench: error: {}\n", e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        fmt::print(stderr, "concbench: error: {}\n", e.what());
        return 1;
    }
}

}  // namespace concbench
