// Whole-process timings: the Markdown tables hyperfine wrote to DIR/hyperfine/*.md
// (scripts/bench-seed), read back for the report.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "exporters.hpp"

namespace concbench {

/// (name, Markdown text) of each DIR/hyperfine/*.md, by name; none if there is no folder.
std::vector<std::pair<std::string, std::string>> hyperfine_tables(const std::string& dir);

/// A hyperfine Markdown table as a table block (its cells kept as Markdown).
Block parse_markdown_table(const std::string& text);

}  // namespace concbench
