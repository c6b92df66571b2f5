// Which file each format writes: the one list of outputs.
#include "exporters.hpp"

#include "results_file.hpp"

namespace concbench {

const std::vector<SummaryExporter>& summary_exporters() {
    static const std::vector<SummaryExporter> list = {
        {"summary.json",
         [](const SummaryData& d) { return to_summary_json(d.cells, d.baseline, d.problems); }},
        {"summary.csv", [](const SummaryData& d) { return to_summary_csv(d.cells); }},
    };
    return list;
}

const std::vector<ReportExporter>& report_exporters() {
    static const std::vector<ReportExporter> list = {
        {"report.md", [](const Document& doc, const std::string&) { return to_markdown(doc); }},
        {"report.html", to_html},
    };
    return list;
}

void write_summary_files(const std::string& dir, const SummaryData& data) {
    for (const auto& e : summary_exporters())
        write_file_atomically(dir + "/" + e.file, e.render(data));
}

void write_report_files(const std::string& dir, const Document& doc) {
    for (const auto& e : report_exporters())
        write_file_atomically(dir + "/" + e.file, e.render(doc, dir));
}

}  // namespace concbench
