// The "what this shows" lines under a comparison table: the fastest backend and by how much,
// the memory outlier, and the runs that did not succeed, computed from the table's cells.
#pragma once

#include <string>
#include <vector>

#include "summary.hpp"

namespace concbench {

/// The sentences under a comparison table, computed from its cells.
std::vector<std::string> what_this_shows(const std::vector<const CellSummary*>& group);

}  // namespace concbench
