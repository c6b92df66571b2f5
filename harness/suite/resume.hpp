// Resuming a suite: its options from DIR/run.json, and which (cell, repetition) pairs its
// DIR/results.jsonl already holds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "matrix.hpp"
#include "run_options.hpp"

namespace concbench {

/// The options of the suite in `given.resume`, as its run.json recorded them. Throws
/// UsageError naming the folder when there is no run.json, it is not valid, or it was written
/// with another results schema version.
RunOptions resumed_options(const RunOptions& given);

/// The key of one (cell, repetition): backend, workload, params, backend params, repetition.
std::string run_key(const Cell& cell, int rep);

/// The keys of the (cell, repetition) pairs in `records` (of DIR/results.jsonl).
std::unordered_set<std::string> finished_runs(const std::vector<nlohmann::json>& records);

}  // namespace concbench
