// Out-of-tree workloads: shared modules built against the installed headers (pkg-config
// concbench), loaded with `concbench --plugin PATH` or from the folders listed in
// CONCBENCH_PLUGIN_PATH. A loaded plugin's workloads are listed and run like built-in ones.
#pragma once

#include <string>
#include <vector>

namespace concbench {

/// Loads each of `files`, then every `*.so` in the colon-separated folders of `search_path`
/// (the value of CONCBENCH_PLUGIN_PATH; null or empty: none), in name order. A file already
/// loaded (by any path to it) is skipped. Throws UsageError naming the file and what is wrong
/// when one is missing, cannot be loaded, is not a concbench plugin, was built against another
/// plugin API version, registers no workload, or registers a name already taken; the registry
/// is then as it was before that file. Throws std::logic_error if two built-in workloads share
/// a name (a bug of this build).
void load_plugins(const std::vector<std::string>& files, const char* search_path);

/// The absolute paths of the plugins loaded from `files` (not from the search path, which a
/// child process inherits with the environment): what a child needs as --plugin arguments.
const std::vector<std::string>& plugin_files();

}  // namespace concbench
