#include "matrix.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "suggest.hpp"
#include "usage_error.hpp"

namespace concbench {

namespace {

constexpr std::size_t kMaxValuesPerParam = 10'000;
constexpr std::size_t kMaxCells = 100'000;

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(sep, start);
        out.emplace_back(text.substr(start, end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

template <class T, class NameOf>
std::vector<const T*> select(std::string_view what, std::string_view list,
                             const std::vector<const T*>& all, NameOf name_of) {
    std::vector<std::string> names;
    for (const T* t : all) names.push_back(name_of(*t));
    const std::string valid = fmt::format("{}, or all", fmt::join(names, ", "));
    if (list == "all") return all;
    std::vector<const T*> out;
    for (const auto& item : split(list, ',')) {
        if (item.empty())
            throw UsageError(fmt::format("empty {} name in '{}': valid are {}", what, list, valid));
        auto it = std::find(names.begin(), names.end(), item);
        if (it == names.end())
            throw UsageError(fmt::format("unknown {} '{}': {}valid are {}", what, item,
                                         did_you_mean(item, names), valid));
        const T* t = all[static_cast<std::size_t>(it - names.begin())];
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
    return out;
}

const ParamSpec* find_spec(const std::vector<ParamSpec>& specs, std::string_view name) {
    for (const auto& s : specs)
        if (s.name == name) return &s;
    return nullptr;
}

ParamValue parse_or_usage(const ParamSpec& spec, std::string_view text) {
    try {
        return parse_param_value(spec, text);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

void expand_range(const ParamSpec& spec, std::string_view item, std::vector<ParamValue>& out) {
    const auto parts = split(item, ':');
    const auto malformed = [&](std::string_view why) {
        return UsageError(fmt::format(
            "malformed range '{}' for {}: {} (valid forms: a:b, a:b:+step, a:b:*factor)", item,
            spec.name, why));
    };
    if (spec.type == ParamType::choice)
        throw UsageError(fmt::format("{} takes one of {}, not a range ('{}')", spec.name,
                                     fmt::join(spec.choices, ", "), item));
    if (parts.size() > 3) throw malformed("too many ':'");
    // The shape of the range first, then each end against the declared min and max.
    ParamSpec unbounded = spec;
    unbounded.min = INT64_MIN;
    unbounded.max = INT64_MAX;
    const std::int64_t lo = std::get<std::int64_t>(parse_or_usage(unbounded, parts[0]));
    const std::int64_t hi = std::get<std::int64_t>(parse_or_usage(unbounded, parts[1]));
    if (lo > hi) throw malformed("start is greater than end");
    bool multiply = false;
    std::int64_t step = 1;
    if (parts.size() == 3) {
        const std::string& s = parts[2];
        if (s.size() < 2 || (s[0] != '*' && s[0] != '+')) throw malformed("step must be +N or *N");
        multiply = s[0] == '*';
        const auto step_spec = ParamSpec::integer("step", 1, 1, INT64_MAX, "");
        try {
            step = std::get<std::int64_t>(parse_param_value(step_spec, s.substr(1)));
        } catch (const std::invalid_argument&) {
            throw malformed("step must be a positive integer");
        }
        if (multiply && step < 2) throw malformed("factor must be at least 2");
        if (multiply && lo <= 0) throw malformed("a *factor range must start above 0");
    }
    parse_or_usage(spec, parts[0]);
    parse_or_usage(spec, parts[1]);
    for (std::int64_t v = lo; v <= hi;) {
        if (out.size() >= kMaxValuesPerParam)
            throw UsageError(fmt::format("range '{}' for {} has more than {} values", item,
                                         spec.name, kMaxValuesPerParam));
        out.emplace_back(v);
        if (multiply ? v > hi / step : v > hi - step) break;  // the next would pass hi
        v = multiply ? v * step : v + step;
    }
}

/// Every combination of the given keys' values, each merged over `defaults`.
std::vector<std::map<std::string, ParamValue>> product(
    const std::vector<ParamSpec>& specs, const std::vector<std::string>& keys,
    const std::map<std::string, std::vector<ParamValue>>& values) {
    std::vector<std::map<std::string, ParamValue>> out{Params(specs, {}).values()};
    for (const auto& key : keys) {
        std::vector<std::map<std::string, ParamValue>> next;
        for (const auto& partial : out)
            for (const auto& v : values.at(key)) {
                next.push_back(partial);
                next.back()[key] = v;
            }
        out = std::move(next);
    }
    return out;
}

}  // namespace

std::vector<const BackendInfo*> select_backends(std::string_view list) {
    std::vector<const BackendInfo*> all;
    for (const auto& b : backends()) all.push_back(&b);
    return select("backend", list, all, [](const BackendInfo& b) { return b.name; });
}

std::vector<const WorkloadDef*> select_workloads(std::string_view list) {
    return select("workload", list, workloads(), [](const WorkloadDef& w) { return w.name(); });
}

ParamArg split_param_arg(std::string_view arg) {
    const std::size_t eq = arg.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == arg.size())
        throw UsageError(fmt::format(
            "malformed --param '{}': expected name=value, e.g. tasks=100 or tasks=1:1000:*10",
            arg));
    auto parts = split(arg.substr(0, eq), '.');
    for (const auto& p : parts)
        if (p.empty())
            throw UsageError(
                fmt::format("malformed --param '{}': expected name=value or scope.name=value, e.g. "
                            "sleep.tasks=100 or sync.sleep.tasks=10",
                            arg));
    ParamArg out{parts.back(), std::string(arg.substr(eq + 1))};
    parts.pop_back();
    out.scopes = std::move(parts);
    return out;
}

std::vector<ParamValue> expand_values(const ParamSpec& spec, std::string_view text) {
    std::vector<ParamValue> out;
    for (const auto& item : split(text, ',')) {
        if (item.empty())
            throw UsageError(fmt::format("empty value in '{}={}': give comma-separated values",
                                         spec.name, text));
        if (item.find(':') != std::string::npos && spec.type != ParamType::text)
            expand_range(spec, item, out);
        else
            out.push_back(parse_or_usage(spec, item));
    }
    return out;
}

namespace {

bool declares(const std::vector<ParamSpec>& specs, const std::string& key) {
    return find_spec(specs, key) != nullptr;
}

/// Whether `a` applies to cells of workload `w` on backend `b`: every scope names one of them.
bool in_scope(const ParamArg& a, const WorkloadDef& w, const BackendInfo& b) {
    return std::all_of(a.scopes.begin(), a.scopes.end(),
                       [&](const std::string& s) { return s == w.name() || s == b.name; });
}

std::string full_name(const ParamArg& a) {
    return a.scopes.empty() ? a.key : fmt::format("{}.{}", fmt::join(a.scopes, "."), a.key);
}

void check_args(const std::vector<const BackendInfo*>& backends,
                const std::vector<const WorkloadDef*>& workloads,
                const std::vector<ParamArg>& args) {
    std::set<std::string> names, seen;
    for (const auto* w : workloads) names.insert(w->name());
    for (const auto* b : backends) names.insert(b->name);
    for (const auto& a : args) {
        const std::string full = full_name(a);
        if (!seen.insert(full).second)
            throw UsageError(
                fmt::format("--param {} given twice: give one list, e.g. {}=1,2", full, full));
        for (const auto& scope : a.scopes)
            if (!names.count(scope))
                throw UsageError(fmt::format(
                    "unknown scope '{}' in --param {}: valid are the selected workloads and "
                    "backends ({})",
                    scope, full, fmt::join(names, ", ")));
        // The names valid here: those of every (workload, backend) pair the scopes allow.
        std::set<std::string> valid;
        for (const auto* w : workloads)
            for (const auto* b : backends)
                if (in_scope(a, *w, *b)) {
                    for (const auto& s : w->params()) valid.insert(s.name);
                    for (const auto& s : b->params) valid.insert(s.name);
                }
        if (valid.empty())
            throw UsageError(
                fmt::format("--param {} names {} together, which never meet: give at "
                            "most one workload and one backend as scope",
                            full, fmt::join(a.scopes, " and ")));
        if (!valid.count(a.key))
            throw UsageError(fmt::format("unknown parameter '{}' for {}: {}valid are {}", a.key,
                                         a.scopes.empty()
                                             ? "the selected backends and workloads"
                                             : fmt::format("{}", fmt::join(a.scopes, ".")),
                                         did_you_mean(a.key, {valid.begin(), valid.end()}),
                                         fmt::join(valid, ", ")));
    }
}

}  // namespace

std::vector<Cell> expand_matrix(const std::vector<const BackendInfo*>& backends,
                                const std::vector<const WorkloadDef*>& workloads,
                                const std::vector<ParamArg>& args) {
    check_args(backends, workloads, args);

    // Args by specificity: a scoped value overrides an unscoped one, a doubly scoped one both.
    std::vector<const ParamArg*> by_scope;
    for (const auto& a : args) by_scope.push_back(&a);
    std::stable_sort(by_scope.begin(), by_scope.end(), [](const ParamArg* x, const ParamArg* y) {
        return x->scopes.size() < y->scopes.size();
    });

    struct Ordered {
        Cell cell;
        std::size_t workload_index, workload_params_index;
    };
    std::vector<Ordered> ordered;
    for (std::size_t wi = 0; wi < workloads.size(); ++wi) {
        const WorkloadDef& w = *workloads[wi];
        std::vector<std::map<std::string, ParamValue>> seen_wp;  // first-appearance order
        for (const auto* b : backends) {
            std::vector<ParamSpec> specs = w.params();
            for (const auto& s : b->params)
                if (!declares(specs, s.name)) specs.push_back(s);
            std::map<std::string, std::string> text;
            for (const ParamArg* a : by_scope)
                if (in_scope(*a, w, *b) && declares(specs, a->key)) text[a->key] = a->text;
            std::vector<std::string> keys;  // in the order given: the first varies slowest
            std::map<std::string, std::vector<ParamValue>> values;
            for (const auto& a : args)
                if (text.count(a.key) && !values.count(a.key)) {
                    keys.push_back(a.key);
                    values[a.key] = expand_values(*find_spec(specs, a.key), text[a.key]);
                }
            for (const auto& combo : product(specs, keys, values)) {
                Cell cell{b, &w, {}, {}};
                for (const auto& [k, v] : combo)
                    (declares(w.params(), k) ? cell.workload_params : cell.backend_params)[k] = v;
                auto it = std::find(seen_wp.begin(), seen_wp.end(), cell.workload_params);
                if (it == seen_wp.end()) it = seen_wp.insert(seen_wp.end(), cell.workload_params);
                ordered.push_back(
                    {std::move(cell), wi, static_cast<std::size_t>(it - seen_wp.begin())});
                if (ordered.size() > kMaxCells)
                    throw UsageError(
                        fmt::format("the matrix has more than {} cells: narrow the parameter lists",
                                    kMaxCells));
            }
        }
    }
    // Workload, then its parameter values, then backend: rows that compare backends sit
    // together in the table.
    std::stable_sort(ordered.begin(), ordered.end(), [](const Ordered& x, const Ordered& y) {
        return std::tie(x.workload_index, x.workload_params_index) <
               std::tie(y.workload_index, y.workload_params_index);
    });
    std::vector<Cell> cells;
    for (auto& o : ordered) cells.push_back(std::move(o.cell));
    return cells;
}

std::string describe_non_default(const std::vector<ParamSpec>& specs,
                                 const std::map<std::string, ParamValue>& values) {
    const auto defaults = Params(specs, {}).values();
    std::vector<std::string> parts;
    for (const auto& s : specs) {
        auto it = values.find(s.name);
        if (it != values.end() && it->second != defaults.at(s.name))
            parts.push_back(fmt::format("{}={}", s.name, to_string(it->second)));
    }
    return fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace concbench
