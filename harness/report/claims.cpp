// Each claim is one function from the cells to a verdict, or to nothing when the cells that
// test it are missing. Thresholds are stated where they are used; a verdict is only as good
// as the cells, so each names them and its figures.
#include "claims.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "fields.hpp"
#include "units.hpp"

namespace concbench {

using nlohmann::json;

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::holds:
            return "holds";
        case Verdict::does_not_hold:
            return "does not hold here";
        case Verdict::depends:
            return "depends";
    }
    return "?";
}

namespace {

using Cells = std::vector<const CellSummary*>;

/// A clear win: at least this ratio. Below `kSame` apart, two medians count as the same.
constexpr double kClearly = 1.5;
constexpr double kSame = 1.25;

double number(const CellSummary& c, const char* name, double def = 0) {
    const auto it = c.params.find(name);
    return it != c.params.end() && it->is_number() ? it->get<double>() : def;
}

std::string text(const json& obj, const char* name) {
    const auto it = obj.find(name);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The cells of `workload` with successful runs, in report order.
Cells ok_cells(const std::vector<CellSummary>& cells, const std::string& workload) {
    Cells out;
    for (const auto& c : cells)
        if (c.workload == workload && c.ok > 0) out.push_back(&c);
    return out;
}

/// The cells grouped by workload parameters (the backends of one comparison), in order.
std::vector<Cells> groups(const Cells& cells) {
    std::vector<Cells> out;
    std::map<std::string, std::size_t> index;
    for (const auto* c : cells) {
        auto [it, fresh] = index.emplace(c->group_key(), out.size());
        if (fresh) out.emplace_back();
        out[it->second].push_back(c);
    }
    return out;
}

/// Where the cell's backend runs offloaded CPU work; "inline" where it has no choice.
std::string offload_of(const CellSummary& c) {
    const std::string o = text(c.backend_params, "offload");
    return o.empty() ? "inline" : o;
}

/// The cell of `backend` in a group; with `offload`, the one with that offload parameter.
const CellSummary* find(const Cells& group, std::string_view backend,
                        std::string_view offload = {}) {
    for (const auto* c : group)
        if (c->backend == backend && (offload.empty() || offload_of(*c) == offload)) return c;
    return nullptr;
}

std::string seconds(const CellSummary& c) {
    return format_seconds(c.wall.median);
}

/// "requests=100 delay_ms=20": the parameters away from the workload's defaults (all of them
/// for lines that do not record the defaults).
std::string changed_params(const CellSummary& c) {
    std::string out;
    for (const auto& [k, v] : c.params.items()) {
        if (c.param_defaults.is_object() && c.param_defaults.contains(k) &&
            c.param_defaults.at(k) == v)
            continue;
        out += fmt::format("{}{}={}", out.empty() ? "" : " ", k,
                           v.is_string() ? v.get<std::string>() : v.dump());
    }
    return out;
}

std::string cell_name(const CellSummary& c) {
    const std::string p = changed_params(c);
    return p.empty() ? c.workload : c.workload + " " + p;
}

/// "a, b and c".
std::string and_list(const std::vector<std::string>& items) {
    if (items.empty()) return "";
    if (items.size() == 1) return items.front();
    std::string out;
    for (std::size_t i = 0; i + 1 < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out + " and " + items.back();
}

/// Holds when every part holds, does not hold when none does, else depends.
Verdict overall(std::size_t holding, std::size_t total) {
    if (holding == total) return Verdict::holds;
    return holding == 0 ? Verdict::does_not_hold : Verdict::depends;
}

// Async helps IO concurrency: on waiting work, one async thread beats sync by about the
// number of tasks in flight. Tested on the largest waiting cell run on both.
std::optional<ClaimVerdict> async_helps_io(const std::vector<CellSummary>& cells) {
    const CellSummary *best_sync = nullptr, *best_async = nullptr;
    double best_n = -1;
    for (const char* w : {"sleep", "http"})
        for (const auto& g : groups(ok_cells(cells, w))) {
            const auto* s = find(g, "sync");
            const auto* a = find(g, "async");
            const double wait = number(*g.front(), w == std::string("sleep") ? "ms" : "delay_ms");
            const double n = number(*g.front(), w == std::string("sleep") ? "tasks" : "requests");
            if (s && a && wait > 0 && n > 1 && n > best_n)
                best_sync = s, best_async = a, best_n = n;
        }
    if (!best_sync) return std::nullopt;
    const double x = best_sync->wall.median / best_async->wall.median;
    ClaimVerdict v{"Async helps IO concurrency: many waits overlap on one thread"};
    v.cells = {cell_name(*best_async)};
    v.because = fmt::format("sync {}, async {}: async {:.1f}× faster on one thread",
                            seconds(*best_sync), seconds(*best_async), x);
    v.verdict = x >= 2 ? Verdict::holds : x < kSame ? Verdict::does_not_hold : Verdict::depends;
    if (v.verdict == Verdict::depends)
        v.because += " (less than 2×: too few tasks in flight, or waits too short to overlap)";
    return v;
}

// Async does not help CPU work: one async thread computes no faster than sync; only more
// cores do.
std::optional<ClaimVerdict> async_no_help_cpu(const std::vector<CellSummary>& cells) {
    const CellSummary *s = nullptr, *a = nullptr;
    Cells chosen;
    for (const auto& g : groups(ok_cells(cells, "cpu")))
        if (find(g, "sync") && find(g, "async") &&
            (!s || number(*g.front(), "tasks") > number(*s, "tasks")))
            s = find(g, "sync"), a = find(g, "async"), chosen = g;
    if (!s) return std::nullopt;
    const double x = s->wall.median / a->wall.median;
    ClaimVerdict v{"Async does not help CPU work: only cores do"};
    v.cells = {cell_name(*s)};
    v.because =
        fmt::format("{}: sync {}, async {} ({:.2f}×)", v.cells[0], seconds(*s), seconds(*a), x);
    const CellSummary* fastest = nullptr;
    for (const auto* c : chosen)
        if (!fastest || c->wall.median < fastest->wall.median) fastest = c;
    if (fastest && fastest != s && fastest != a)
        v.because += fmt::format("; the fastest, {}, {:.2f}× sync", fastest->label(),
                                 s->wall.median / fastest->wall.median);
    v.verdict = (x <= kSame && x >= 1 / kSame) ? Verdict::holds
                : x > kSame                    ? Verdict::does_not_hold
                                               : Verdict::depends;
    if (v.verdict == Verdict::depends) v.because += " (async slower than sync: its overhead shows)";
    return v;
}

/// Bytes of peak RSS per extra sleeping task of `backend`: the slope between the smallest and
/// largest `tasks` among sleep cells with the same `ms` and concurrency.
struct Slope {
    double bytes_per_task = 0, n_small = 0, n_large = 0;
    const CellSummary* large = nullptr;
};
std::optional<Slope> memory_slope(const Cells& sleeps, const std::string& backend, double ms) {
    const CellSummary *small = nullptr, *large = nullptr;
    for (const auto* c : sleeps) {
        if (c->backend != backend || !c->peak_rss_bytes || number(*c, "ms") != ms ||
            number(*c, "concurrency") != 0)
            continue;
        if (!small || number(*c, "tasks") < number(*small, "tasks")) small = c;
        if (!large || number(*c, "tasks") > number(*large, "tasks")) large = c;
    }
    if (!small || number(*small, "tasks") == number(*large, "tasks")) return std::nullopt;
    const double dn = number(*large, "tasks") - number(*small, "tasks");
    return Slope{(*large->peak_rss_bytes - *small->peak_rss_bytes) / dn, number(*small, "tasks"),
                 number(*large, "tasks"), large};
}

// Threads cost more memory and creation time than async tasks.
std::optional<ClaimVerdict> threads_cost_more(const std::vector<CellSummary>& cells) {
    const Cells sleeps = ok_cells(cells, "sleep");
    std::set<double> waits;
    for (const auto* c : sleeps) waits.insert(number(*c, "ms"));
    // The longest sleep: the more of the tasks are alive at once, the truer the slope.
    for (auto ms = waits.rbegin(); ms != waits.rend(); ++ms) {
        const auto t = memory_slope(sleeps, "threads", *ms);
        const auto a = memory_slope(sleeps, "async", *ms);
        if (!t || !a) continue;
        ClaimVerdict v{"Threads cost more memory and creation time than async tasks"};
        v.cells = {fmt::format("sleep ms={} tasks={:.0f} and {:.0f}", *ms, t->n_small, t->n_large)};
        const double ratio = t->bytes_per_task / std::max(1.0, a->bytes_per_task);
        v.because = fmt::format(
            "peak memory per extra sleeping task: threads {}, async {} ({:.1f}×)",
            format_bytes(t->bytes_per_task), format_bytes(std::max(0.0, a->bytes_per_task)), ratio);
        const double extra_s = t->large->wall.median - a->large->wall.median;
        v.because += fmt::format(
            "; at tasks={:.0f} threads took {} to async's {} ({} more per task)", t->n_large,
            seconds(*t->large), seconds(*a->large), format_seconds(extra_s / t->n_large));
        v.verdict = ratio >= 2      ? Verdict::holds
                    : ratio < kSame ? Verdict::does_not_hold
                                    : Verdict::depends;
        // Creation slower than the sleeps: threads ended before the later ones started, so
        // fewer were alive at once than asked and the memory slope says little about a thread.
        if (t->large->ideal_wall_s && t->large->wall.median > 2 * *t->large->ideal_wall_s) {
            v.because +=
                "; threads ran past twice the ideal, so fewer were alive at once than asked and "
                "the memory figure understates a thread's cost (longer sleeps keep them alive: "
                "make bench-claims)";
            if (v.verdict != Verdict::holds) v.verdict = Verdict::depends;
        }
        return v;
    }
    return std::nullopt;
}

/// The fanout cells of `mode` with sleeping children, grouped by parameters.
std::vector<Cells> fanout_groups(const std::vector<CellSummary>& cells, const char* mode) {
    Cells matching;
    for (const auto* c : ok_cells(cells, "fanout"))
        if (text(c->params, "mode") == mode && text(c->params, "op") != "http")
            matching.push_back(c);
    return groups(matching);
}

/// Per backend of `group`: at most `bound` seconds (near the ideal) or not; `why_not` says
/// why a backend that is not falls short.
ClaimVerdict against_ideal(std::string claim, const Cells& group, double bound,
                           const std::function<std::string(const CellSummary&)>& why_not) {
    ClaimVerdict v{std::move(claim)};
    v.cells = {cell_name(*group.front())};
    std::vector<std::string> near, far;
    for (const auto* c : group) {
        if (!c->ideal_wall_s) continue;
        if (c->wall.median <= bound)
            near.push_back(fmt::format("{} {}", c->label(), seconds(*c)));
        else
            far.push_back(fmt::format("{} {} ({})", c->label(), seconds(*c), why_not(*c)));
    }
    if (near.empty() && far.empty()) return v;
    v.verdict = overall(near.size(), near.size() + far.size());
    v.because = fmt::format("ideal {}", format_seconds(group.front()->ideal_wall_s.value_or(NAN)));
    if (!near.empty()) v.because += "; near it: " + and_list(near);
    if (!far.empty()) v.because += "; not: " + and_list(far);
    return v;
}

/// Why children of a join did not all run at once on `c`'s backend.
std::string fewer_at_once(const CellSummary& c) {
    if (c.backend == "sync") return "children of a join run one after another";
    if (c.backend_params.contains("threads"))
        return fmt::format("at most threads={} children at once, each blocking its worker",
                           c.backend_params.at("threads").dump());
    return "fewer children ran at once than were joined";
}

// Joining k waits of d takes d, not k·d.
std::optional<ClaimVerdict> join_overlaps(const std::vector<CellSummary>& cells) {
    const auto gs = fanout_groups(cells, "join");
    if (gs.empty()) return std::nullopt;
    const Cells& g = gs.back();
    const double ideal = g.front()->ideal_wall_s.value_or(0);
    auto v = against_ideal(
        fmt::format("Joining {:.0f} waits takes as long as the longest, not their sum",
                    number(*g.front(), "k")),
        g, kClearly * ideal, fewer_at_once);
    if (v.because.empty()) return std::nullopt;
    return v;
}

// Race returns with the fastest child (the run's validation checks that the fastest won and
// every loser was cancelled).
std::optional<ClaimVerdict> race_returns_fastest(const std::vector<CellSummary>& cells) {
    const auto gs = fanout_groups(cells, "race");
    if (gs.empty()) return std::nullopt;
    // Near the fastest child means closer to it than to the slowest by far: within a tenth of
    // the way from the one to the other (child j waits delay_ms + j * spread_ms).
    const CellSummary& first = *gs.back().front();
    const double fastest = number(first, "delay_ms") / 1000;
    const double slowest = fastest + (number(first, "k") - 1) * number(first, "spread_ms") / 1000;
    auto v = against_ideal("Race returns with the fastest child, cancelling the rest", gs.back(),
                           fastest + std::max(0.1 * (slowest - fastest), 0.005),
                           [fastest](const CellSummary& c) {
                               return fmt::format("ended {} after the fastest child",
                                                  format_seconds(c.wall.median - fastest));
                           });
    if (v.because.empty()) return std::nullopt;
    v.because += fmt::format(" (the slowest child waits {})", format_seconds(slowest));
    return v;
}

// Blocking the event loop delays everyone on it; offloading the CPU work fixes it. Judged on
// the median request latency (the typical request, most of which do no CPU work when only
// one in `cpu_every` does), with p99 among the figures: with the CPU work inline the loop
// serves no one while it computes.
std::optional<ClaimVerdict> blocking_the_loop(const std::vector<CellSummary>& cells) {
    const Cells mixed = ok_cells(cells, "mixed");
    const CellSummary *inl = nullptr, *base = nullptr;
    for (const auto& g : groups(mixed)) {
        const auto* c = find(g, "async", "inline");
        if (!c || !c->p50) continue;
        if (number(*c, "cpu_us") == 0)
            base = c;
        else if (!inl || number(*c, "cpu_us") > number(*inl, "cpu_us"))
            inl = c;
    }
    if (!inl) return std::nullopt;
    const CellSummary* best = nullptr;  // the offloaded cell with the lowest median latency
    for (const auto& g : groups(mixed))
        if (g.front()->group_key() == inl->group_key())
            for (const auto* c : g)
                if (c->backend == "async" && c != inl && c->p50 && (!best || *c->p50 < *best->p50))
                    best = c;
    if (!base && !best) return std::nullopt;
    const auto latency = [](const CellSummary& c) {
        return fmt::format("median {}, p99 {}", format_seconds(*c.p50),
                           c.p99 ? format_seconds(*c.p99) : "-");
    };
    ClaimVerdict v{"Blocking inside an event loop delays everyone on it; offloading fixes it"};
    v.cells = {cell_name(*inl) + " on async"};
    v.because = "request latency with the CPU work inline on the loop: " + latency(*inl);
    std::size_t holding = 0, parts = 0;
    if (base) {
        ++parts;
        holding += *inl->p50 >= kClearly * *base->p50;
        v.because += "; without CPU work: " + latency(*base);
    }
    if (best) {
        ++parts;
        // Fixed: the typical request is back within kSame of no CPU work at all, or, without
        // that cell, clearly faster than inline.
        holding += base ? *best->p50 <= kSame * *base->p50 : *best->p50 * kClearly <= *inl->p50;
        v.because += fmt::format("; offloaded ({}): {}", best->label(), latency(*best));
        if (inl->ops_per_s && best->ops_per_s)
            v.because += fmt::format("; throughput {:.0f}/s inline, {:.0f}/s offloaded",
                                     *inl->ops_per_s, *best->ops_per_s);
    }
    v.verdict = overall(holding, parts);
    return v;
}

// Bounded concurrency beats unbounded at scale: the same cell with a concurrency limit and
// without one, per backend, at the largest size run both ways.
std::optional<ClaimVerdict> bounded_beats_unbounded(const std::vector<CellSummary>& cells) {
    struct Pair {
        const CellSummary *bounded = nullptr, *unbounded = nullptr;
    };
    std::map<std::string, Pair> pairs;              // by workload, params but concurrency, backend
    std::map<std::string, const CellSummary*> all;  // every cell, failed ones too
    for (const auto& c : cells) {
        if (c.workload != "http" && c.workload != "sleep") continue;
        json rest = c.params;
        rest.erase("concurrency");
        const std::string key = c.workload + rest.dump() + c.label();
        const double n = number(c, c.workload == "http" ? "requests" : "tasks");
        const double limit = number(c, "concurrency");
        Pair& p = pairs[key];
        if (limit == 0 || limit >= n)
            p.unbounded = &c;
        else if (!p.bounded || limit < number(*p.bounded, "concurrency"))
            p.bounded = &c;
    }
    ClaimVerdict v{"Bounded concurrency beats unbounded at scale"};
    std::vector<std::string> better, worse;
    std::map<std::string, const Pair*> largest;  // per backend label
    for (const auto& [key, p] : pairs) {
        if (!p.bounded || !p.unbounded || p.bounded->ok == 0) continue;
        const auto* b = p.bounded;
        const std::string sizekey = b->label();
        const double n = number(*b, b->workload == "http" ? "requests" : "tasks");
        auto& slot = largest[sizekey];
        if (!slot ||
            n > number(*slot->bounded, slot->bounded->workload == "http" ? "requests" : "tasks"))
            slot = &p;
    }
    for (const auto& [label, p] : largest) {
        const auto* b = p->bounded;
        const auto* u = p->unbounded;
        if (v.cells.empty()) v.cells = {cell_name(*b) + " and concurrency=0"};
        if (u->ok == 0) {
            better.push_back(
                fmt::format("{} (without a limit: {})", label, capped_error(u->first_error, 300)));
        } else if (b->wall.median * 1.05 <= u->wall.median || u->ok < u->runs) {
            better.push_back(fmt::format("{} {} vs {}", label, seconds(*b), seconds(*u)));
        } else {
            worse.push_back(fmt::format("{} {} vs {}", label, seconds(*b), seconds(*u)));
        }
    }
    if (better.empty() && worse.empty()) return std::nullopt;
    v.verdict = overall(better.size(), better.size() + worse.size());
    v.because = "median with a concurrency limit vs without";
    if (!better.empty()) v.because += "; bounded better: " + and_list(better);
    if (!worse.empty())
        v.because += "; not: " + and_list(worse) +
                     " (nothing ran out: without a limit the waits only overlap more)";
    return v;
}

// The well-known table for many concurrent requests: sync 1.07 s, threads 0.79 s, async
// 0.73 s, async on threads 0.65 s — each model faster than the one before.
std::optional<ClaimVerdict> request_ranking(const std::vector<CellSummary>& cells) {
    static const std::vector<std::string> order = {"sync", "threads", "async", "async-mt"};
    ClaimVerdict v{
        "Many concurrent requests: sync slower than threads, slower than async, slower than "
        "async on threads (the blog table: 1.07 s, 0.79 s, 0.73 s, 0.65 s)"};
    std::vector<std::string> figures, matching, differing;
    for (const auto& g : groups(ok_cells(cells, "http"))) {
        std::vector<const CellSummary*> present;
        for (const auto& b : order)
            if (const auto* c = find(g, b, "inline")) present.push_back(c);
        if (present.size() < 3) continue;
        std::vector<std::string> row;
        bool ranked = true;
        for (std::size_t i = 0; i < present.size(); ++i) {
            row.push_back(fmt::format("{} {}", present[i]->backend, seconds(*present[i])));
            if (i > 0 && present[i]->wall.median >= present[i - 1]->wall.median) ranked = false;
        }
        const std::string name = fmt::format("requests={:.0f}", number(*g.front(), "requests"));
        v.cells.push_back(cell_name(*g.front()));
        figures.push_back(name + ": " + and_list(row));
        (ranked ? matching : differing).push_back(name);
    }
    if (figures.empty()) return std::nullopt;
    v.verdict = overall(matching.size(), figures.size());
    v.because = and_list(figures);
    if (v.verdict == Verdict::depends)
        v.because +=
            "; the order holds at " + and_list(matching) + ", not at " + and_list(differing);
    return v;
}

}  // namespace

std::vector<ClaimVerdict> evaluate_claims(const std::vector<CellSummary>& cells) {
    using Claim = std::function<std::optional<ClaimVerdict>(const std::vector<CellSummary>&)>;
    static const std::vector<Claim> claims = {
        async_helps_io,       async_no_help_cpu, threads_cost_more,       join_overlaps,
        race_returns_fastest, blocking_the_loop, bounded_beats_unbounded, request_ranking,
    };
    std::vector<ClaimVerdict> out;
    for (const auto& claim : claims)
        if (auto v = claim(cells)) out.push_back(std::move(*v));
    return out;
}

}  // namespace concbench
