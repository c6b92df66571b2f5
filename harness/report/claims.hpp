// The claims every async tutorial makes, each tested against the cells of a result set: the
// cells that test it, the figures measured, and a verdict computed from them. A claim whose
// cells are not in the results is left out (`make bench-claims` runs every one of them).
#pragma once

#include <string>
#include <vector>

#include "summary.hpp"

namespace concbench {

enum class Verdict {
    holds,          // the figures agree with the claim
    does_not_hold,  // they contradict it here
    depends,        // it holds under a condition the figures name
};
const char* to_string(Verdict v);

struct ClaimVerdict {
    std::string claim;  // "Async helps IO concurrency"
    Verdict verdict = Verdict::depends;
    std::string because = {};  // the figures behind the verdict, and the condition for depends
    std::vector<std::string> cells = {};  // the cells that test it: "sleep tasks=100 ms=20"
};

/// The claims the cells can test, in a fixed order. Only cells with successful runs count.
std::vector<ClaimVerdict> evaluate_claims(const std::vector<CellSummary>& cells);

}  // namespace concbench
