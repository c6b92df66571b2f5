#include "live_summaries.hpp"

#include <algorithm>

#include "exporters.hpp"
#include "results_file.hpp"

namespace concbench {

namespace {
// Rewrites at most this often, and at most a tenth of the time: rewriting is linear in the
// number of cells.
constexpr auto kMinWriteInterval = std::chrono::seconds(2);
constexpr int kMaxWriteShare = 10;
}  // namespace

LiveSummaries::LiveSummaries(std::string dir, std::string baseline, RunSet existing)
    : dir_(std::move(dir)),
      baseline_(std::move(baseline)),
      problems_(std::move(existing.problems)) {
    for (auto& r : existing.records) {
        const CellSummary& c = cell(r);
        earlier_runs_[c.key()].push_back(std::move(r));
    }
    for (auto& c : cells_) summarize_runs(c, earlier_runs_.at(c.key()));
    for (const auto& [group, members] : groups_) {
        std::vector<CellSummary*> ptrs;
        for (const auto i : members) ptrs.push_back(&cells_[i]);
        set_ratios(ptrs, baseline_);
    }
}

CellSummary& LiveSummaries::cell(const nlohmann::json& record) {
    CellSummary probe = cell_of(record);
    const auto [it, fresh] = index_.emplace(probe.key(), cells_.size());
    if (fresh) {
        groups_[probe.group].push_back(cells_.size());
        cells_.push_back(std::move(probe));
    }
    return cells_[it->second];
}

void LiveSummaries::add(const std::vector<nlohmann::json>& runs) {
    if (runs.empty()) return;
    CellSummary& c = cell(runs.front());
    const auto earlier = earlier_runs_.find(c.key());
    if (earlier == earlier_runs_.end()) {
        summarize_runs(c, runs);
    } else {
        earlier->second.insert(earlier->second.end(), runs.begin(), runs.end());
        summarize_runs(c, earlier->second);
    }
    std::vector<CellSummary*> group;
    for (const auto i : groups_.at(c.group)) group.push_back(&cells_[i]);
    set_ratios(group, baseline_);
}

void LiveSummaries::write_if_due() {
    const auto since = Clock::now() - last_write_;
    if (since >= kMinWriteInterval && since >= kMaxWriteShare * write_cost_) write();
}

void LiveSummaries::write() {
    const auto start = Clock::now();
    write_summary_files(dir_, {cells_, baseline_, problems_});
    last_write_ = Clock::now();
    write_cost_ = last_write_ - start;
}

}  // namespace concbench
