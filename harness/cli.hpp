// The concbench command line: list, run, run-one.
#pragma once

namespace concbench {

/// Parses the arguments, runs the subcommand and returns the exit code: 0 on success,
/// 2 for bad input (one line on stderr), 1 when run-one's run did not succeed.
int cli_main(int argc, char** argv);

}  // namespace concbench
