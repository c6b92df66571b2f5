#include "root_tasks.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace concbench {

RootTasks::RootTasks(const RunPlan& plan, Io& io, std::function<void(std::size_t)> after_finish)
    : plan_(plan),
      io_(io),
      after_finish_(std::move(after_finish)),
      slots_(plan.tasks),
      seconds_(plan.tasks, std::numeric_limits<double>::quiet_NaN()) {
    for (auto& s : slots_) s.owner = this;
}

void RootTasks::start(std::size_t i) {
    Slot& slot = slots_[i];
    try {
        slot.task = plan_.make_task(io_, i);
    } catch (...) {
        finish(i, std::current_exception());
        return;
    }
    slot.start = Clock::now();
    slot.task.start(&RootTasks::on_done, &slot);
}

void RootTasks::on_done(void* p) {
    auto& slot = *static_cast<Slot*>(p);
    RootTasks& self = *slot.owner;
    const std::size_t i = static_cast<std::size_t>(&slot - self.slots_.data());
    self.seconds_[i] = std::chrono::duration<double>(Clock::now() - slot.start).count();
    std::exception_ptr error = slot.task.error();
    slot.task = {};  // frees the frame now: a finished task holds no memory
    self.finish(i, error);
}

void RootTasks::finish(std::size_t i, std::exception_ptr error) {
    if (error) {
        seconds_[i] = std::numeric_limits<double>::quiet_NaN();
        if (failed_.fetch_add(1) == 0) {
            std::lock_guard lock(error_mutex_);
            first_error_ = fmt::format("task {}: {}", i, describe(error));
        }
    }
    slots_[i].finished = true;
    if (after_finish_) after_finish_(i);
}

RunOutcome RootTasks::outcome(std::string backend_error) {
    RunOutcome out;
    out.task_seconds = std::move(seconds_);
    std::erase_if(out.task_seconds, [](double s) { return std::isnan(s); });
    out.completed = out.task_seconds.size();
    out.failed = failed_.load();
    if (!backend_error.empty()) {
        out.error = std::move(backend_error);
    } else if (out.failed > 0) {
        std::lock_guard lock(error_mutex_);
        out.error =
            fmt::format("{} of {} tasks failed; first: {}", out.failed, plan_.tasks, first_error_);
    }
    return out;
}

}  // namespace concbench
