// The record of one (cell, repetition) from what its child process left behind: its result
// line, or why there is none (timeout, signal, OOM kill, no result).
#pragma once

#include <string>

#include "child_runner.hpp"
#include "matrix.hpp"
#include "result.hpp"

namespace concbench {

/// The record of `cell`'s run `repetition`, which ended as `c` under a timeout of timeout_s.
RunRecord record_of(const Cell& cell, int repetition, const ChildResult& c, double timeout_s);

/// A run that could not be started: failed, with why.
RunRecord not_run(const Cell& cell, int repetition, const std::string& why);

}  // namespace concbench
