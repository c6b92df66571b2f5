#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "registry.hpp"
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

WorkloadDef* WorkloadDef::needs(Fixture f) {
    if (f != Fixture::delay_server || needs_server_) return this;
    needs_server_ = true;
    return param(ParamSpec::text("target", kAutoTarget,
                                 "host:port of an HTTP server on loopback, or auto: the harness "
                                 "starts `concbench serve` for the suite"));
}

WorkloadDef* WorkloadDef::smoke(std::map<std::string, std::string> params) {
    smoke_ = std::move(params);
    return this;
}

namespace {
using Registry = std::map<std::string, std::unique_ptr<WorkloadDef>, std::less<>>;

// Function-local statics: registrars in other translation units may run first.
Registry& registry() {
    static Registry r;
    return r;
}

struct Staging {
    bool active = false;
    std::vector<std::unique_ptr<WorkloadDef>> held;
    std::vector<std::string> duplicates;                 // registered twice by built-ins
    std::vector<std::unique_ptr<WorkloadDef>> shadowed;  // their second definitions
};

Staging& staging() {
    static Staging s;
    return s;
}
}  // namespace

WorkloadDef* register_workload(std::string name, WorkloadDef::Factory make) {
    auto def = std::make_unique<WorkloadDef>(name, std::move(make));
    auto* raw = def.get();
    Staging& st = staging();
    if (st.active) {
        st.held.push_back(std::move(def));
    } else if (!registry().try_emplace(name, std::move(def)).second) {
        // The chained declarations still need a definition to write to: keep it apart.
        st.duplicates.push_back(name);
        st.shadowed.push_back(std::move(def));
    }
    return raw;
}

namespace workload_registry {

void begin_staging() {
    staging().active = true;
}

std::vector<std::string> commit_staged() {
    Staging& st = staging();
    std::vector<std::string> taken;
    std::set<std::string> names;
    for (const auto& def : st.held)
        if (registry().count(def->name()) || !names.insert(def->name()).second)
            taken.push_back(def->name());
    if (taken.empty())
        for (auto& def : st.held) registry().try_emplace(def->name(), std::move(def));
    st.held.clear();
    st.active = false;
    return taken;
}

void discard_staged() {
    staging().held.clear();
    staging().active = false;
}

std::vector<std::string> duplicate_names() {
    return staging().duplicates;
}

}  // namespace workload_registry

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
