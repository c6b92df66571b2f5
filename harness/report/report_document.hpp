// The report as one Document (exporters.hpp): what was run, a table per workload and
// parameter set with its "what this shows" lines and charts, sweeps, hyperfine tables,
// warnings and failures. report.md and report.html are rendered from it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "charts.hpp"
#include "exporters.hpp"
#include "summary.hpp"

namespace concbench {

/// `env`: env.json (empty: not recorded). `hyperfine`: (name, Markdown table) pairs.
/// `skipped_lines`: how many results.jsonl lines were left out (their reasons are among
/// `problems`).
Document build_report(const std::vector<CellSummary>& cells, const nlohmann::json& env,
                      const std::vector<std::string>& problems, const std::vector<Chart>& charts,
                      const std::vector<std::pair<std::string, std::string>>& hyperfine,
                      std::size_t skipped_lines = 0);

}  // namespace concbench
