// Results records for the report, compare and results tests: one run's line, a small suite,
// and the files they are written to.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace concbench::test_records {

using nlohmann::json;
namespace fs = std::filesystem;

inline json record(const std::string& backend, int tasks, int rep, const std::string& status,
                   double wall, double rss = 4e6) {
    json r = {{"schema_version", 1},
              {"backend", backend},
              {"workload", "sleep"},
              {"params", {{"tasks", tasks}, {"ms", 10}, {"concurrency", 0}}},
              {"backend_params", json::object()},
              {"repetition", rep},
              {"status", status},
              {"wall_s", status == "ok" ? json(wall) : json(nullptr)},
              {"user_s", 0.01},
              {"sys_s", 0.02},
              {"peak_rss_bytes", rss},
              {"ops", tasks},
              {"ops_per_s", status == "ok" ? json(tasks / wall) : json(nullptr)},
              {"latency_s", {{"p50", 0.010}, {"p90", 0.011}, {"p99", 0.012}, {"max", 0.013}}},
              {"ideal_wall_s", 0.01 * tasks / tasks},
              {"validated", status == "ok"}};
    if (status != "ok") r["error"] = "could not create thread: Resource temporarily unavailable";
    return r;
}

/// A suite: sync and async on two sizes, 5 reps; threads failing on the larger; a partial
/// last cell (2 of 5 runs, as if the suite was killed).
inline std::vector<json> fixture() {
    std::vector<json> out;
    const double sync_walls[] = {1.00, 1.02, 0.98, 1.01, 0.99};
    const double async_walls[] = {0.010, 0.011, 0.0105, 0.0102, 0.0108};
    for (int rep = 0; rep < 5; ++rep)
        out.push_back(record("sync", 100, rep, "ok", sync_walls[rep]));
    for (int rep = 0; rep < 5; ++rep)
        out.push_back(record("async", 100, rep, "ok", async_walls[rep], 8e6));
    for (int rep = 0; rep < 5; ++rep) out.push_back(record("threads", 100, rep, "ok", 0.02, 40e6));
    for (int rep = 0; rep < 3; ++rep) out.push_back(record("threads", 40000, rep, "failed", 0));
    for (int rep = 0; rep < 2; ++rep) out.push_back(record("async", 40000, rep, "ok", 0.1, 60e6));
    return out;
}

inline void write_jsonl(const fs::path& p, const std::vector<json>& records,
                        const std::string& extra = "") {
    std::ofstream out(p);
    for (std::size_t i = 0; i < records.size(); ++i) {
        out << records[i].dump() << "\n";
        if (i == 1 && !extra.empty()) out << extra << "\n";
    }
}

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

inline json with(json r, const std::string& key, json value) {
    r[key] = std::move(value);
    return r;
}

}  // namespace concbench::test_records
