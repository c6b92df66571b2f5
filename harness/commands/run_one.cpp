#include "run_one.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <set>

#include "child_runner.hpp"
#include "exhaustion.hpp"
#include "http.hpp"
#include "root_tasks.hpp"
#include "server_fixture.hpp"
#include "stats.hpp"
#include "usage_error.hpp"

namespace concbench {

Cell resolve_single_cell(const std::string& backend, const std::string& workload,
                         const std::vector<std::string>& param_args) {
    const BackendDef* b = find_backend(backend);
    if (!b) select_backends(backend);  // throws the message naming the valid ones
    const WorkloadDef* w = find_workload(workload);
    if (!w) select_workloads(workload);
    std::vector<ParamArg> args;
    for (const auto& a : param_args) args.push_back(split_param_arg(a));
    auto cells = expand_matrix({b}, {w}, args);
    check_targets(cells);
    if (cells.size() != 1)
        throw UsageError(
            fmt::format("run-one runs one cell, but the parameters give {}: "
                        "pass single values, not lists or ranges",
                        cells.size()));
    return cells.front();
}

namespace {
Latency latency_of(std::vector<double> seconds) {
    std::sort(seconds.begin(), seconds.end());
    return {stats::percentile_sorted(seconds, 0.50), stats::percentile_sorted(seconds, 0.90),
            stats::percentile_sorted(seconds, 0.99), seconds.back()};
}
}  // namespace

bool wants_server(const Cell& cell) {
    if (!cell.workload->uses(Fixture::delay_server)) return false;
    const auto& target = cell.workload_params.at("target");
    return std::holds_alternative<std::string>(target) &&
           std::get<std::string>(target) == kAutoTarget;
}

void check_targets(const std::vector<Cell>& cells) {
    std::set<std::string> checked;  // a suite has few targets and may have 100,000 cells
    for (const Cell& cell : cells) {
        if (!cell.workload->uses(Fixture::delay_server)) continue;
        const auto* target = std::get_if<std::string>(&cell.workload_params.at("target"));
        if (!target || *target == kAutoTarget || !checked.insert(*target).second) continue;
        if (std::string why = Endpoint::problem(*target); !why.empty())
            throw UsageError(fmt::format("--param target={}: {}; valid is {} or {}", *target, why,
                                         kAutoTarget, Endpoint::valid()));
    }
}

namespace {
/// The fixtures the cell's workload needs, as typed data for its run. The delay server is the
/// one `target` names, else the suite's (opts.server), else one started here for this run and
/// kept in `own` until the run ends.
RunContext fixtures_for(const Cell& cell, const Params& wp, const CellOptions& opts,
                        std::optional<ServerFixture>& own) {
    RunContext ctx;
    if (!cell.workload->uses(Fixture::delay_server)) return ctx;
    std::string address = wp.text("target");
    if (address == kAutoTarget) {
        address = opts.server;
        if (address.empty()) {
            own.emplace(self_executable(), opts.server_threads, opts.server_faults);
            address = own->address();
        }
    }
    ctx.delay_server = Endpoint::parse(address);
    return ctx;
}
}  // namespace

Measurement run_cell(const Cell& cell, const CellOptions& opts) {
    Measurement m;
    try {
        const Params wp(cell.workload->params(), cell.workload_params);
        std::optional<ServerFixture> own_server;
        const RunContext ctx = fixtures_for(cell, wp, opts, own_server);
        const Params bp(cell.backend->params(), cell.backend_params);
        auto backend = cell.backend->make(bp);
        auto run = cell.workload->make(wp, ctx);

        RunPlan plan;
        plan.tasks = run->tasks();
        plan.concurrency = RunPlan::clamp_concurrency(plan.tasks, wp.integer("concurrency"));
        plan.make_task = [&run](Io& io, std::size_t i) { return run->task(io, i); };

        const auto t0 = std::chrono::steady_clock::now();
        RunOutcome outcome = backend->run(plan);
        m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

        m.ops = outcome.completed == plan.tasks ? run->ops() : outcome.completed;
        if (!outcome.task_seconds.empty())
            m.latency_s = latency_of(std::move(outcome.task_seconds));
        m.ideal_wall_s = run->ideal_wall_s(
            Shape{plan.tasks, plan.concurrency, backend->parallelism(plan.concurrency)});
        m.facts = run->facts();
        const OpErrors errors = run->errors();
        m.errors = errors.by_kind;
        m.max_error_rate = opts.max_error_rate;
        if (errors.attempted > 0)
            m.error_rate =
                static_cast<double>(errors.total()) / static_cast<double>(errors.attempted);
        if (!outcome.error.empty()) {
            m.status = Status::failed;
            m.error = outcome.error;
        } else if (errors.total() > 0 && m.error_rate > opts.max_error_rate) {
            m.status = Status::failed;
            m.error = opts.max_error_rate > 0
                          ? fmt::format("{} (error rate {:.4g} > --max-error-rate {:g})",
                                        errors.summary, m.error_rate, opts.max_error_rate)
                          : errors.summary;
        } else if (std::string why = run->validate(); !why.empty()) {
            m.status = Status::invalid;
            m.error = "validation failed: " + why;
        } else {
            m.validated = true;
        }
    } catch (...) {
        m.status = Status::failed;
        m.error = describe(std::current_exception());
    }
    return m;
}

}  // namespace concbench
