// Reading results.jsonl: every line is checked against the results contract (DESIGN.md,
// result.cpp) before anything downstream sees it, so summaries, compare and --resume can
// trust a record's types; a bad line is skipped with its number and the reason.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace concbench {

/// Longer lines are skipped unread: no run writes one, and a file of NULs must not hang us.
inline constexpr std::size_t kMaxResultLineBytes = std::size_t{64} << 20;

/// What is wrong with one parsed results.jsonl object ("\"backend\" is a number, not a
/// string"), or nothing when it keeps the contract.
std::optional<std::string> record_problem(const nlohmann::json& r);

// read_results(path), declared in summary.hpp, is defined here.

}  // namespace concbench
