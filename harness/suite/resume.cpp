#include "resume.hpp"

#include <fmt/format.h>

#include <fstream>

#include "result.hpp"
#include "usage_error.hpp"

namespace concbench {

RunOptions resumed_options(const RunOptions& given) {
    const std::string& dir = given.resume;
    std::ifstream in(dir + "/run.json");
    if (!in)
        throw UsageError(
            fmt::format("--resume {}: no run.json there, so it is not a folder "
                        "concbench run can resume",
                        dir));
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception&) {
        throw UsageError(fmt::format("--resume {}: run.json is not valid JSON", dir));
    }
    const auto version =
        j.is_object() ? j.value("schema_version", nlohmann::json(-1)) : nlohmann::json(-1);
    if (version != kSchemaVersion)
        throw UsageError(
            fmt::format("--resume {}: written with results schema version {}, this "
                        "concbench writes version {}: start a new run",
                        dir, version.dump(), kSchemaVersion));
    try {
        RunOptions o = from_run_json(j, given);
        o.out = dir;
        return o;
    } catch (const UsageError& e) {
        throw UsageError(fmt::format("--resume {}: run.json: {}", dir, e.what()));
    }
}

namespace {

std::string run_key(const std::string& backend, const std::string& workload,
                    const nlohmann::json& params, const nlohmann::json& backend_params, int rep) {
    return fmt::format("{}|{}|{}|{}|{}", backend, workload, params.dump(), backend_params.dump(),
                       rep);
}

}  // namespace

std::string run_key(const Cell& cell, int rep) {
    return run_key(cell.backend->name(), cell.workload->name(), to_json(cell.workload_params),
                   to_json(cell.backend_params), rep);
}

std::unordered_set<std::string> finished_runs(const std::vector<nlohmann::json>& records) {
    std::unordered_set<std::string> done;
    for (const auto& r : records)
        if (r.contains("repetition") && r.at("repetition").is_number_integer())
            done.insert(run_key(r.at("backend"), r.at("workload"), r.at("params"),
                                r.value("backend_params", nlohmann::json::object()),
                                r.at("repetition")));
    return done;
}

}  // namespace concbench
