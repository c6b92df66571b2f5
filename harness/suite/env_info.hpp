// env.json: the machine and the build a run was made on.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace concbench {

/// Host, CPU, cores, kernel, compiler and flags, build type, library versions,
/// git describe, CPU frequency governor (if readable), date, and `command_line`.
nlohmann::json environment(const std::string& command_line);

}  // namespace concbench
