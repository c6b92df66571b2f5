// The harness's side of the workload registry: registrations made while a plugin is being
// loaded are held apart, so a plugin that turns out to be unusable (wrong API version, a
// name already taken) leaves the registry as it was. Not part of the plugin API.
#pragma once

#include <string>
#include <vector>

namespace concbench::workload_registry {

/// From now on, register_workload() holds new workloads apart instead of listing them.
void begin_staging();

/// Lists the held workloads and stops holding. If any name is already taken (by a built-in
/// workload, an earlier plugin, or twice by this one) nothing is listed, every held workload
/// is dropped, and the taken names are returned.
std::vector<std::string> commit_staged();

/// Drops the held workloads (their code is about to be unloaded) and stops holding.
void discard_staged();

/// Names registered twice by the built-in workloads (each keeps its first definition).
std::vector<std::string> duplicate_names();

}  // namespace concbench::workload_registry
