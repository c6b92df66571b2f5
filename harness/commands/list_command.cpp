#include "list_command.hpp"

#include <fmt/format.h>

#include <memory>

#include "backend.hpp"
#include "command.hpp"
#include "workload.hpp"

namespace concbench {

namespace {

const char* type_name(ParamType t) {
    switch (t) {
        case ParamType::integer:
            return "integer";
        case ParamType::duration:
            return "duration";
        case ParamType::choice:
            return "choice";
        case ParamType::text:
            return "text";
    }
    return "?";
}

nlohmann::json param_json(const ParamSpec& s) {
    nlohmann::json j = {{"name", s.name}, {"type", type_name(s.type)}, {"help", s.help}};
    if (s.type == ParamType::text || s.type == ParamType::choice) {
        j["default"] = s.def_string;
        j["min"] = nullptr;  // every param has the same keys; only numbers have a range
        j["max"] = nullptr;
        if (s.type == ParamType::choice) j["choices"] = s.choices;
    } else {
        j["default"] = s.def;
        j["min"] = s.min;
        j["max"] = s.max;
        if (!s.special.empty()) j["special"] = s.special;  // valid outside min..max
        if (s.type == ParamType::duration) j["unit"] = s.unit;
    }
    return j;
}

nlohmann::json params_json(const std::vector<ParamSpec>& specs) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : specs) out.push_back(param_json(s));
    return out;
}

std::string param_line(const ParamSpec& s) {
    std::string valid;
    switch (s.type) {
        case ParamType::choice:
            valid = fmt::format("{} (default {})", fmt::join(s.choices, "|"), s.def_string);
            break;
        case ParamType::text:
            valid = fmt::format("text (default {})", s.def_string);
            break;
        default:
            valid = fmt::format("{} (default {}{})", s.range_text(), s.def, s.unit);
    }
    return fmt::format("      {:<12} {:<34} {}\n", s.name, valid, s.help);
}

}  // namespace

nlohmann::json list_json() {
    nlohmann::json out = {{"backends", nlohmann::json::array()},
                          {"workloads", nlohmann::json::array()}};
    for (const auto* b : backends())
        out["backends"].push_back({{"name", b->name()},
                                   {"description", b->description()},
                                   {"params", params_json(b->params())}});
    for (const auto* w : workloads())
        out["workloads"].push_back({{"name", w->name()},
                                    {"kind", to_string(w->kind())},
                                    {"description", w->description()},
                                    {"params", params_json(w->params())}});
    return out;
}

std::string list_text() {
    std::string out = "Backends:\n";
    for (const auto* b : backends()) {
        out += fmt::format("  {:<10} {}\n", b->name(), b->description());
        for (const auto& s : b->params()) out += param_line(s);
    }
    out += "\nWorkloads:\n";
    for (const auto* w : workloads()) {
        out += fmt::format("  {:<10} [{}] {}\n", w->name(), to_string(w->kind()), w->description());
        for (const auto& s : w->params()) out += param_line(s);
    }
    return out;
}

CommandMain add_list_command(CLI::App& app) {
    auto* list = app.add_subcommand("list", "list backends and workloads with their parameters");
    auto as_json = std::make_shared<bool>(false);
    list->add_flag("--json", *as_json, "print JSON instead of a table");
    return [as_json](const std::string&) {
        fmt::print("{}", *as_json ? list_json().dump(2) + "\n" : list_text());
        return 0;
    };
}

}  // namespace concbench
