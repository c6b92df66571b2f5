// What the user sees while a suite runs: a live line on a terminal (runs done/total, the
// current cell, elapsed, ETA), else one plain line per finished cell.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "result.hpp"
#include "stats.hpp"
#include "summary_table.hpp"

namespace concbench {

class Progress {
  public:
    explicit Progress(std::size_t total_runs)
        : total_(total_runs), tty_(isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

    void note(const std::string& text) {
        clear();
        fmt::print(stderr, "concbench: {}\n", text);
    }
    void starting(const std::string& cell, int rep) {
        if (!tty_) return;
        const double elapsed = seconds_since_start();
        std::string eta = "?";
        if (done_ > 0)
            eta = format_seconds(elapsed / static_cast<double>(done_) *
                                 static_cast<double>(total_ - done_));
        fmt::print(stderr, "\r\033[K[{}/{}] {} rep {} | elapsed {} | ETA {}", done_, total_, cell,
                   rep, format_seconds(elapsed), eta);
    }
    void finished_run() { ++done_; }
    void finished_cell(const std::string& cell, const std::vector<RunRecord>& runs) {
        if (tty_) return;
        std::size_t ok = 0;
        std::vector<double> walls;
        for (const auto& r : runs)
            if (r.m.status == Status::ok) {
                ++ok;
                walls.push_back(r.m.wall_s);
            }
        std::string what = fmt::format("{}/{} ok", ok, runs.size());
        if (!walls.empty()) what += ", median " + format_seconds(stats::median(walls));
        for (const auto& r : runs)
            if (r.m.status != Status::ok) {
                what += fmt::format("; {}: {}", to_string(r.m.status), r.m.error);
                break;
            }
        fmt::print(stderr, "[{}/{}] {}: {}\n", done_, total_, cell, what);
    }
    void done() { clear(); }

  private:
    using Clock = std::chrono::steady_clock;
    double seconds_since_start() const {
        return std::chrono::duration<double>(Clock::now() - start_).count();
    }
    void clear() {
        if (tty_) fmt::print(stderr, "\r\033[K");
    }
    std::size_t total_, done_ = 0;
    bool tty_;
    Clock::time_point start_;
};

}  // namespace concbench
