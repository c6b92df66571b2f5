#include <algorithm>
#include <map>
#include <memory>

#include "workload.hpp"

namespace concbench {

const char* to_string(Kind k) {
    switch (k) {
        case Kind::io:
            return "io";
        case Kind::cpu:
            return "cpu";
        case Kind::mixed:
            return "mixed";
    }
    return "?";
}

ParamSpec concurrency_param() {
    return ParamSpec::integer("concurrency", 0, 0, 100'000'000,
                              "most root tasks in flight at once (0: all of them)");
}

WorkloadDef::WorkloadDef(std::string name, Factory make)
    : name_(std::move(name)), make_(std::move(make)), params_{concurrency_param()} {}

WorkloadDef* WorkloadDef::kind(Kind k) {
    kind_ = k;
    return this;
}

WorkloadDef* WorkloadDef::description(std::string text) {
    description_ = std::move(text);
    return this;
}

WorkloadDef* WorkloadDef::param(ParamSpec spec) {
    params_.insert(params_.end() - 1, std::move(spec));  // concurrency stays last
    return this;
}

WorkloadDef* WorkloadDef::needs_server() {
    uses_server_ = true;
    return param(ParamSpec::text("target", kAutoTarget,
                                 "host:port of an HTTP server on loopback, or auto: the harness "
                                 "starts `concbench serve` for the suite"));
}

namespace {
// A function-local static: registrars in other translation units may run first.
std::map<std::string, std::unique_ptr<WorkloadDef>, std::less<>>& registry() {
    static std::map<std::string, std::unique_ptr<WorkloadDef>, std::less<>> r;
    return r;
}
}  // namespace

WorkloadDef* register_workload(std::string name, WorkloadDef::Factory make) {
    auto def = std::make_unique<WorkloadDef>(name, std::move(make));
    auto* raw = def.get();
    registry()[std::move(name)] = std::move(def);
    return raw;
}

std::vector<const WorkloadDef*> workloads() {
    std::vector<const WorkloadDef*> out;
    for (const auto& [name, def] : registry()) out.push_back(def.get());
    return out;
}

const WorkloadDef* find_workload(std::string_view name) {
    auto it = registry().find(name);
    return it == registry().end() ? nullptr : it->second.get();
}

}  // namespace concbench
