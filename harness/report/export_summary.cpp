// summary.json and summary.csv, both from summary_fields().
#include <fmt/format.h>

#include "exporters.hpp"
#include "fields.hpp"
#include "result.hpp"

namespace concbench {

using nlohmann::json;

std::string to_summary_json(const std::vector<CellSummary>& cells, const std::string& baseline,
                            const std::vector<std::string>& problems) {
    json out = {{"schema_version", kSchemaVersion},
                {"baseline", baseline},
                {"problems", problems},
                {"cells", json::array()}};
    for (const auto& c : cells) {
        json row = json::object();
        for (const auto& f : summary_fields()) row[f.name] = f.value(c);
        out["cells"].push_back(std::move(row));
    }
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {
std::string csv_cell(const json& v) {
    std::string text;
    if (v.is_null()) return "";
    if (v.is_string()) {
        text = v.get<std::string>();
    } else if (v.is_object()) {
        for (const auto& [k, x] : v.items())
            text += fmt::format("{}{}={}", text.empty() ? "" : " ", k,
                                x.is_string() ? x.get<std::string>() : x.dump());
    } else if (v.is_array()) {
        for (const auto& x : v) {
            if (!text.empty()) text += ';';
            text += x.is_string() ? x.get<std::string>() : x.dump();
        }
    } else {
        text = v.dump();
    }
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return quoted + "\"";
}
}  // namespace

std::string to_summary_csv(const std::vector<CellSummary>& cells) {
    std::string out;
    const auto& fields = summary_fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += fields[i].name;
    }
    out += '\n';
    for (const auto& c : cells) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += ',';
            out += csv_cell(fields[i].value(c));
        }
        out += '\n';
    }
    return out;
}

}  // namespace concbench
