// One small pure function per output format, and the lists that say which file each one
// writes (as hyperfine's ExportManager): a new format is a render function and a row of
// summary_exporters() or report_exporters() (exporters.cpp). The summary formats are derived
// from summary_fields(); the reports from one Document, rendered as Markdown or as HTML.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "summary.hpp"

namespace concbench {

/// summary.json: {"schema_version", "baseline", "problems", "cells": [{field: value}]}.
std::string to_summary_json(const std::vector<CellSummary>& cells, const std::string& baseline,
                            const std::vector<std::string>& problems);
/// summary.csv: a header of field names, a row per cell; objects as "k=v k=v".
std::string to_summary_csv(const std::vector<CellSummary>& cells);

/// What the summary formats are rendered from.
struct SummaryData {
    const std::vector<CellSummary>& cells;
    const std::string& baseline;
    const std::vector<std::string>& problems;  // of results.jsonl's lines
};

/// A summary format: its file in the result folder and how it is rendered.
struct SummaryExporter {
    std::string file;
    std::function<std::string(const SummaryData&)> render;
};

/// summary.json, summary.csv.
const std::vector<SummaryExporter>& summary_exporters();

/// Rewrites every summary file of DIR (each atomically).
void write_summary_files(const std::string& dir, const SummaryData& data);

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

/// A report format: its file in the result folder and how it is rendered (`dir`: the result
/// folder, where the charts are).
struct ReportExporter {
    std::string file;
    std::function<std::string(const Document& doc, const std::string& dir)> render;
};

/// report.md, report.html.
const std::vector<ReportExporter>& report_exporters();

/// Rewrites every report file of DIR (each atomically).
void write_report_files(const std::string& dir, const Document& doc);

}  // namespace concbench
