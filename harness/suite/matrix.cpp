#include "matrix.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

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
        if (!spec.accepts(v))  // a value between the ends that the spec does not take
            throw UsageError(fmt::format("{}={} (from range '{}') is out of range: valid is {}",
                                         spec.name, v, item, spec.range_text()));
        out.emplace_back(v);
        if (multiply ? v > hi / step : v > hi - step) break;  // the next would pass hi
        v = multiply ? v * step : v + step;
    }
}

}  // namespace

std::vector<const BackendDef*> select_backends(std::string_view list) {
    return select("backend", list, backends(), [](const BackendDef& b) { return b.name(); });
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
bool in_scope(const ParamArg& a, const WorkloadDef& w, const BackendDef& b) {
    return std::all_of(a.scopes.begin(), a.scopes.end(),
                       [&](const std::string& s) { return s == w.name() || s == b.name(); });
}

std::string full_name(const ParamArg& a) {
    return a.scopes.empty() ? a.key : fmt::format("{}.{}", fmt::join(a.scopes, "."), a.key);
}

void check_args(const std::vector<const BackendDef*>& backends,
                const std::vector<const WorkloadDef*>& workloads,
                const std::vector<ParamArg>& args) {
    std::set<std::string> names, seen;
    for (const auto* w : workloads) names.insert(w->name());
    for (const auto* b : backends) names.insert(b->name());
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
                    for (const auto& s : b->params()) valid.insert(s.name);
                }
        if (valid.empty())
            throw UsageError(
                fmt::format("--param {} names {} together, which never meet: give at "
                            "most one workload and one backend as scope",
                            full, fmt::join(a.scopes, " and ")));
        if (!valid.count(a.key))
            throw UsageError(fmt::format(
                "unknown parameter '{}' for {}: {}valid are {}", a.key,
                a.scopes.empty() ? "the selected backends and workloads"
                                 : fmt::format("{}", fmt::join(a.scopes, ".")),
                did_you_mean(a.key, {valid.begin(), valid.end()}), fmt::join(valid, ", ")));
    }
}

}  // namespace

namespace {

/// One (workload, backend) pair's share of the matrix: the keys it varies and their values.
struct PairPlan {
    const WorkloadDef* workload;
    const BackendDef* backend;
    std::vector<ParamSpec> specs;
    std::vector<std::string> keys;                // in the order given: the first varies slowest
    std::vector<std::vector<ParamValue>> values;  // values[i] for keys[i]
};

PairPlan plan_pair(const WorkloadDef& w, const BackendDef& b,
                   const std::vector<const ParamArg*>& by_scope,
                   const std::vector<ParamArg>& args) {
    PairPlan p{&w, &b, w.params(), {}, {}};
    for (const auto& s : b.params())
        if (!declares(p.specs, s.name)) p.specs.push_back(s);
    std::map<std::string, std::string> text;
    for (const ParamArg* a : by_scope)
        if (in_scope(*a, w, b) && declares(p.specs, a->key)) text[a->key] = a->text;
    for (const auto& a : args)
        if (text.count(a.key) && std::find(p.keys.begin(), p.keys.end(), a.key) == p.keys.end()) {
            p.keys.push_back(a.key);
            p.values.push_back(expand_values(*find_spec(p.specs, a.key), text[a.key]));
        }
    return p;
}

/// a * b and a + b, stuck at the maximum instead of wrapping: the count is only compared.
std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
    std::uint64_t r = 0;
    return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
    std::uint64_t r = 0;
    return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

/// The number of cells, from the list sizes alone: nothing is built for a matrix too big.
void check_size(const std::vector<PairPlan>& plans) {
    std::uint64_t total = 0;
    for (const auto& p : plans) {
        std::uint64_t n = 1;
        for (const auto& v : p.values) n = saturating_mul(n, v.size());
        total = saturating_add(total, n);
    }
    if (total > kMaxCells)
        throw UsageError(
            fmt::format("the matrix has {}{} cells (more than {}): narrow the parameter lists",
                        total == UINT64_MAX ? "at least " : "", total, kMaxCells));
}

}  // namespace

namespace {

/// Where a cell goes: its workload, then its workload parameter set (first-appearance order).
using Rank = std::pair<std::size_t, std::size_t>;

/// A compact key of a workload parameter set: hashing it is cheaper than comparing maps.
std::string params_key(const std::map<std::string, ParamValue>& params) {
    std::string key;
    for (const auto& [name, value] : params) {
        key += name;
        key += '=';
        key += to_string(value);
        key += '\x1f';
    }
    return key;
}

/// Appends the cells of one (workload, backend) pair, each with its rank. `seen` numbers the
/// workload's parameter sets in the order they first appear, across its backends.
void expand_pair(const PairPlan& p, std::size_t workload_index,
                 std::unordered_map<std::string, std::size_t>& seen, std::vector<Cell>& cells,
                 std::vector<Rank>& ranks) {
    const auto workload_specs = p.workload->params();
    Cell base{p.backend, p.workload, {}, {}};
    const Params defaults(p.specs, {});
    for (const auto& [k, v] : defaults.values())
        (declares(workload_specs, k) ? base.workload_params : base.backend_params)[k] = v;
    std::vector<bool> is_workload_key;
    for (const auto& k : p.keys) is_workload_key.push_back(declares(workload_specs, k));
    // An odometer over the value lists, the last key turning fastest.
    std::vector<std::size_t> digit(p.keys.size(), 0);
    for (bool more = true; more;) {
        Cell cell = base;
        for (std::size_t k = 0; k < p.keys.size(); ++k)
            (is_workload_key[k] ? cell.workload_params : cell.backend_params)[p.keys[k]] =
                p.values[k][digit[k]];
        const auto it = seen.try_emplace(params_key(cell.workload_params), seen.size()).first;
        ranks.emplace_back(workload_index, it->second);
        cells.push_back(std::move(cell));
        more = false;
        for (std::size_t k = p.keys.size(); k-- > 0;) {
            if (++digit[k] < p.values[k].size()) {
                more = true;
                break;
            }
            digit[k] = 0;
        }
    }
}

}  // namespace

std::vector<Cell> expand_matrix(const std::vector<const BackendDef*>& backends,
                                const std::vector<const WorkloadDef*>& workloads,
                                const std::vector<ParamArg>& args) {
    check_args(backends, workloads, args);

    // Args by specificity: a scoped value overrides an unscoped one, a doubly scoped one both.
    std::vector<const ParamArg*> by_scope;
    for (const auto& a : args) by_scope.push_back(&a);
    std::stable_sort(by_scope.begin(), by_scope.end(), [](const ParamArg* x, const ParamArg* y) {
        return x->scopes.size() < y->scopes.size();
    });
    std::vector<PairPlan> plans;
    for (const auto* w : workloads)
        for (const auto* b : backends) plans.push_back(plan_pair(*w, *b, by_scope, args));
    check_size(plans);

    std::vector<Cell> cells;
    std::vector<Rank> ranks;
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t pi = 0, wi = 0; pi < plans.size(); ++pi) {
        if (pi > 0 && plans[pi].workload != plans[pi - 1].workload) {
            ++wi;
            seen.clear();
        }
        expand_pair(plans[pi], wi, seen, cells, ranks);
    }
    // Workload, then its parameter values, then backend: rows that compare backends sit
    // together in the table. With one backend they already do.
    if (std::is_sorted(ranks.begin(), ranks.end())) return cells;
    std::vector<std::size_t> order(cells.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return ranks[x] < ranks[y]; });
    std::vector<Cell> sorted;
    sorted.reserve(cells.size());
    for (const auto i : order) sorted.push_back(std::move(cells[i]));
    return sorted;
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
