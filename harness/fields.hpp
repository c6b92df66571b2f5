// The one list of summary fields. summary.json, summary.csv and the report tables are all
// derived from it, so the formats cannot drift apart.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "summary.hpp"

namespace concbench {

struct Field {
    std::string name;  // the key in summary.json and the column in summary.csv
    std::function<nlohmann::json(const CellSummary&)> value;
    std::string header;  // the report column; empty: not in the report table
    std::function<std::string(const CellSummary&)> text;  // the report cell
};

const std::vector<Field>& summary_fields();

/// "2 ok, 1 timeout", or "ok" when every run was.
std::string status_text(const CellSummary& s);

}  // namespace concbench
