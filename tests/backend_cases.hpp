// The backend cases of the shared backend suites, taken from the registry: a backend gets
// every shared test by being registered, with variants generated from the parameters it
// declares.
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "backend.hpp"

namespace concbench {

/// One backend with some of its parameters given (the rest at their defaults).
struct BackendCase {
    std::string backend;
    std::map<std::string, ParamValue> params;
};

/// `backend`, then each given parameter: "async_mt_threads_4", '-' and such made '_' (gtest
/// names are identifiers).
inline std::string case_name(const BackendCase& c) {
    std::string name = c.backend;
    for (const auto& [k, v] : c.params) name += "_" + k + "_" + to_string(v);
    for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return name;
}

/// gtest prints a case by its name, not as bytes.
inline void PrintTo(const BackendCase& c, std::ostream* out) {
    *out << case_name(c);
}

/// The variants of one declared parameter worth a run of their own: every other value of a
/// choice; for `threads`, a count away from the default (the default is the machine's, so
/// the count is fixed here); for an integer whose default is special (stack_kb 0: the
/// system's), an explicit value.
inline std::vector<ParamValue> variant_values(const ParamSpec& s) {
    std::vector<ParamValue> out;
    if (s.type == ParamType::choice) {
        for (const auto& c : s.choices)
            if (c != s.def_string) out.emplace_back(c);
    } else if (s.type == ParamType::integer && s.name == "threads") {
        const std::int64_t n = s.def == 4 ? 2 : 4;
        if (s.accepts(n)) out.emplace_back(n);
    } else if (s.type == ParamType::integer &&
               std::find(s.special.begin(), s.special.end(), s.def) != s.special.end()) {
        out.emplace_back(std::clamp<std::int64_t>(256, s.min, s.max));
    }
    return out;
}

/// Every registered backend at its defaults, each followed by its variants, one parameter
/// changed at a time.
inline std::vector<BackendCase> backend_cases() {
    std::vector<BackendCase> out;
    for (const BackendDef* b : backends()) {
        out.push_back({b->name(), {}});
        for (const auto& spec : b->params())
            for (auto& v : variant_values(spec)) out.push_back({b->name(), {{spec.name, v}}});
    }
    return out;
}

/// Every registered backend at its defaults.
inline std::vector<BackendCase> default_backend_cases() {
    std::vector<BackendCase> out;
    for (const BackendDef* b : backends()) out.push_back({b->name(), {}});
    return out;
}

/// The most root tasks case `c` keeps in flight whatever the plan's limit, where its waits
/// block a thread of a fixed set: sync's one, the `threads` of pool and tbb; 0 where only the
/// limit bounds it (threads, the async backends). A new blocking scheduler adds itself here.
inline std::size_t blocked_threads_bound(const BackendCase& c) {
    if (c.backend == "sync") return 1;
    if (c.backend != "pool" && c.backend != "tbb") return 0;
    const BackendDef* def = find_backend(c.backend);
    return static_cast<std::size_t>(Params(def->params(), c.params).integer("threads"));
}

/// The most root tasks in flight that case `c` reaches with a plan limited to `limit`.
inline std::size_t reachable_in_flight(const BackendCase& c, std::size_t limit) {
    const std::size_t bound = blocked_threads_bound(c);
    return bound == 0 ? limit : std::min(limit, bound);
}

/// The backend of case `c`, parameters resolved; null if it is not registered.
inline std::unique_ptr<Backend> make_backend(const BackendCase& c) {
    const BackendDef* def = find_backend(c.backend);
    return def ? def->make(Params(def->params(), c.params)) : nullptr;
}

}  // namespace concbench
