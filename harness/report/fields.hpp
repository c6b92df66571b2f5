// The one list of summary fields. summary.json, summary.csv, the report tables and the
// terminal table at the end of a suite are all derived from it, so they cannot drift apart.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "summary.hpp"

namespace concbench {

/// A column of the terminal table (format_table), which is narrower than the report's.
struct Column {
    std::string header;  // "{baseline}" stands for the baseline backend's name
    std::function<std::string(const CellSummary&)> text = {};  // empty: the field's text
    bool right = false;                                        // a figure: right-aligned
};

struct Field {
    std::string name;  // the key in summary.json and the column in summary.csv
    std::function<nlohmann::json(const CellSummary&)> value;
    std::string header;  // the report column; empty: not in the report table
    std::function<std::string(const CellSummary&)> text;  // the report cell
    bool hide_when_empty = false;       // leave the column out of a table where every cell is "-"
    std::optional<Column> column = {};  // in the terminal table, after workload and params
};

const std::vector<Field>& summary_fields();

/// "1.95% (closed 22, reset 24)": the median error rate and the failures by kind over all
/// runs; "-" when there were none.
std::string errors_text(const CellSummary& s);

/// At most `keep` bytes of an error (cut at a character boundary) and how much was left out:
/// a 20 MB error stays whole in results.jsonl, not in every report.
std::string capped_error(const std::string& error, std::size_t keep = 500);

/// "2 ok, 1 timeout", or "ok" when every run was.
std::string status_text(const CellSummary& s);

}  // namespace concbench
