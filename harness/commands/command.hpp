// A subcommand adds itself, with its options, to the CLI11 app from its own file; what it
// returns runs it once the command line has been parsed. Every subcommand has an entry point
// named add_<name>_command; cli_main holds the list.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace concbench {

/// Runs a parsed subcommand and returns the exit code; `command_line` is the whole command
/// line, as env.json records it. Throws UsageError for bad input (cli_main prints it as one
/// line, exit 2).
using CommandMain = std::function<int(const std::string& command_line)>;

/// Adds a subcommand to `app`; the options it parses live in the returned function.
using AddCommand = CommandMain (*)(CLI::App& app);

CommandMain add_list_command(CLI::App& app);
CommandMain add_run_command(CLI::App& app);
CommandMain add_run_one_command(CLI::App& app);
CommandMain add_serve_command(CLI::App& app);
CommandMain add_report_command(CLI::App& app);
CommandMain add_compare_command(CLI::App& app);

}  // namespace concbench
