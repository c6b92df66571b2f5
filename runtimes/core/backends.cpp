// The backend registry: backends add themselves from static initialisers (CONCBENCH_BACKEND).
#include <algorithm>
#include <map>
#include <thread>

#include "backend.hpp"

namespace concbench {

BackendDef::BackendDef(std::string name, Factory make)
    : name_(std::move(name)), make_(std::move(make)) {}

BackendDef* BackendDef::description(std::string text) {
    description_ = std::move(text);
    return this;
}

BackendDef* BackendDef::param(ParamSpec spec) {
    params_.push_back(std::move(spec));
    return this;
}

BackendDef* BackendDef::order(int rank) {
    order_ = rank;
    return this;
}

namespace {
struct Registry {
    std::map<std::string, std::unique_ptr<BackendDef>, std::less<>> by_name;
    // Second definitions of a taken name: the chained declarations still need somewhere to go.
    std::vector<std::unique_ptr<BackendDef>> shadowed;
};

// A function-local static: registrars in other translation units may run first.
Registry& registry() {
    static Registry r;
    return r;
}
}  // namespace

BackendDef* register_backend(std::string name, BackendDef::Factory make) {
    auto def = std::make_unique<BackendDef>(name, std::move(make));
    auto* raw = def.get();
    if (!registry().by_name.try_emplace(name, std::move(def)).second)
        registry().shadowed.push_back(std::move(def));
    return raw;
}

std::vector<const BackendDef*> backends() {
    std::vector<const BackendDef*> out;
    for (const auto& [name, def] : registry().by_name) out.push_back(def.get());
    // Stable over the by-name order: equal ranks stay sorted by name.
    std::stable_sort(out.begin(), out.end(), [](const BackendDef* a, const BackendDef* b) {
        return a->order() < b->order();
    });
    return out;
}

const BackendDef* find_backend(std::string_view name) {
    auto it = registry().by_name.find(name);
    return it == registry().by_name.end() ? nullptr : it->second.get();
}

std::size_t hardware_threads() {
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace concbench
