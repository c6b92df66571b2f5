#include "child_record.hpp"

#include <fmt/format.h>

#include <csignal>

#include "summary_table.hpp"

namespace concbench {

namespace {
std::string last_line(const std::string& text) {
    std::size_t end = text.find_last_not_of("\n ");
    if (end == std::string::npos) return {};
    std::size_t start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1,
                       end - (start == std::string::npos ? 0 : start + 1) + 1);
}

/// The child's measurement, or the reason there is none.
Measurement measurement_of(const ChildResult& c, double timeout_s) {
    Measurement m;
    const std::string said = last_line(c.stderr_tail);
    const std::string tail = said.empty() ? "" : ": " + said;
    switch (c.end) {
        case ChildResult::End::timed_out:
            m.status = Status::timeout;
            m.error = fmt::format(
                "no result within the {:g} s timeout; killed (raise --timeout "
                "to wait longer)",
                timeout_s);
            return m;
        case ChildResult::End::signaled:
            m.status = Status::crashed;
            if (c.code == SIGKILL && c.oom_kills > 0)
                m.error = fmt::format(
                    "killed by the kernel's OOM killer (SIGKILL while oom_kill in /proc/vmstat "
                    "rose by {}) at {} peak RSS: lower tasks or concurrency, or give the run "
                    "more memory",
                    c.oom_kills, format_bytes(static_cast<double>(c.usage.ru_maxrss) * 1024));
            else if (c.code == SIGKILL)
                m.error = fmt::format(
                    "killed by signal {}, not by the harness nor by the OOM killer (oom_kill in "
                    "/proc/vmstat did not change): another process killed it{}",
                    signal_name(c.code), tail);
            else
                m.error = fmt::format("killed by signal {}{}", signal_name(c.code), tail);
            return m;
        case ChildResult::End::interrupted:  // run_suite does not record these: it reruns them
            m.status = Status::crashed;
            m.error = "killed because the harness was interrupted";
            return m;
        case ChildResult::End::exited:
            break;
    }
    try {
        return measurement_from_json(nlohmann::json::parse(c.result));
    } catch (const nlohmann::json::exception&) {
        m.status = Status::crashed;
        m.error = fmt::format("exited with code {} without a result{}", c.code, tail);
        return m;
    }
}

/// The record of `cell`'s run `repetition`, before anything is known of the run.
RunRecord record_for(const Cell& cell, int repetition) {
    RunRecord r;
    r.backend = cell.backend->name();
    r.workload = cell.workload->name();
    r.params = cell.workload_params;
    r.backend_params = cell.backend_params;
    const std::string given = describe_non_default(cell.backend->params(), cell.backend_params);
    r.backend_label = given.empty() ? r.backend : r.backend + " " + given;
    r.param_defaults = Params(cell.workload->params(), {}).values();
    r.repetition = repetition;
    return r;
}

}  // namespace

RunRecord record_of(const Cell& cell, int repetition, const ChildResult& c, double timeout_s) {
    RunRecord r = record_for(cell, repetition);
    r.m = measurement_of(c, timeout_s);
    const auto secs = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
    r.user_s = secs(c.usage.ru_utime);
    r.sys_s = secs(c.usage.ru_stime);
    r.peak_rss_bytes = static_cast<std::int64_t>(c.usage.ru_maxrss) * 1024;
    r.voluntary_ctx_switches = c.usage.ru_nvcsw;
    r.involuntary_ctx_switches = c.usage.ru_nivcsw;
    return r;
}

RunRecord not_run(const Cell& cell, int repetition, const std::string& why) {
    RunRecord r = record_for(cell, repetition);
    r.m.status = Status::failed;
    r.m.error = why;
    return r;
}

}  // namespace concbench
