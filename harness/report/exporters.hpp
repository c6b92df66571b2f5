// One small pure function per output format. The summary formats are derived from
// summary_fields(); the reports from one Document, rendered as Markdown or as HTML.
#pragma once

#include <string>
#include <vector>

#include "summary.hpp"

namespace concbench {

/// summary.json: {"schema_version", "baseline", "problems", "cells": [{field: value}]}.
std::string to_summary_json(const std::vector<CellSummary>& cells, const std::string& baseline,
                            const std::vector<std::string>& problems);
/// summary.csv: a header of field names, a row per cell; objects as "k=v k=v".
std::string to_summary_csv(const std::vector<CellSummary>& cells);

/// A report as a list of blocks, so Markdown and HTML say the same thing.
struct Block {
    enum class Kind { heading, paragraph, bullets, table, image, code };
    Kind kind;
    int level = 0;                                    // heading
    std::string text = {};                            // heading, paragraph, image alt, code
    std::vector<std::string> items = {};              // bullets; table header
    std::vector<std::vector<std::string>> rows = {};  // table
    std::string path = {};                            // image, relative to the report
    bool markdown = false;  // table cells are Markdown already (hyperfine's): kept as written
};
using Document = std::vector<Block>;

/// Every text is shown as written: Markdown and HTML in it are escaped, line breaks become
/// spaces (a code block keeps them, in a fence longer than any run of backticks inside).
std::string to_markdown(const Document& doc);
/// One self-contained page: styles inline, images as data: URIs read from `dir`.
std::string to_html(const Document& doc, const std::string& dir);

}  // namespace concbench
