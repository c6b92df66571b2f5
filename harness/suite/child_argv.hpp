// How the suite names a (cell, repetition) to the child that runs it, and to the person
// watching.
#pragma once

#include <string>
#include <vector>

#include "matrix.hpp"

namespace concbench {

/// `exe run-one --backend B --workload W --result-fd 3 --max-error-rate R [--server S]
/// --param k=v... --plugin P...`: the child gets the cell and the same plugins.
std::vector<std::string> child_argv(const std::string& exe, const Cell& cell,
                                    const std::string& server, double max_error_rate);

/// "sleep tasks=10 on threads stack_kb=64": parameters shown only where not the default.
std::string cell_label(const Cell& cell);

}  // namespace concbench
