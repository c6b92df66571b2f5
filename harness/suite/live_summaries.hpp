// The summaries of a running suite, kept in memory and updated one cell at a time, so the
// harness's cost per run stays flat however many cells came before (rebuilding them from
// results.jsonl after every cell made a suite quadratic).
#pragma once

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

#include "summary.hpp"

namespace concbench {

class LiveSummaries {
  public:
    /// The summaries of DIR, starting from the records already in its results.jsonl.
    LiveSummaries(std::string dir, std::string baseline, RunSet existing);

    /// Adds the runs of one cell that just ran; recomputes that cell and its group's ratios.
    void add(const std::vector<nlohmann::json>& runs);

    /// Rewrites DIR/summary.json and summary.csv when the last rewrite is a few seconds old:
    /// often enough that a killed suite leaves recent summaries, rarely enough that writing
    /// every cell's summary stays a small share of the time, however many cells there are.
    void write_if_due();
    /// Rewrites them now (at the end of the suite, or when it was interrupted).
    void write();

    /// Every cell in first-appearance order in results.jsonl, as summarize_cells gives them.
    const std::vector<CellSummary>& cells() const { return cells_; }

  private:
    CellSummary& cell(const nlohmann::json& record);
    void update(CellSummary& cell, const std::vector<nlohmann::json>& runs);

    using Clock = std::chrono::steady_clock;
    std::string dir_, baseline_;
    std::vector<std::string> problems_;  // of results.jsonl as it was found
    std::vector<CellSummary> cells_;
    std::unordered_map<std::string, std::size_t> index_;  // CellSummary::key() -> cells_
    std::unordered_map<std::string, std::vector<std::size_t>> groups_;  // group -> cells_
    // The records of each cell, kept only for cells found in results.jsonl (a resumed cell
    // may get its missing repetitions): a cell run here gets all its runs in one add().
    std::unordered_map<std::string, std::vector<nlohmann::json>> earlier_runs_;
    Clock::time_point last_write_ = Clock::now();
    Clock::duration write_cost_{};
};

}  // namespace concbench
