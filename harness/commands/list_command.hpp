// `concbench list`: the backends and workloads, with their parameters.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace concbench {

/// {"backends":[{"name","description","params":[...]}],
///  "workloads":[{"name","kind","description","params":[{"name","default","min","max",...}]}]}
nlohmann::json list_json();

/// The same as an aligned human-readable listing.
std::string list_text();

}  // namespace concbench
