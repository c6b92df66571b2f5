// concbench-micro: Google Benchmark micro-benchmarks of each backend's primitives, one
// family per primitive (micro/primitives.cpp), one benchmark per registered backend, named
// "<primitive>/<backend>" (plus "/offload=pool" and such for a parameter that changes what
// one primitive measures). Backends come from the registry, so a new one is measured by
// being registered.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "backend.hpp"
#include "join_probe.hpp"
#include "primitives.hpp"

namespace concbench::micro {

namespace {

/// Pauses and resumes the benchmark's timers. Called by the root task on a backend thread
/// while the benchmark's own thread waits in run(): the timers read the wall clock and the
/// process's CPU time (MeasureProcessCPUTime), both the same from any thread.
class StateClock final : public Clock {
  public:
    explicit StateClock(benchmark::State& state) : state_(state) {}
    void start() override {
        if (!running_) state_.ResumeTiming();
        running_ = true;
    }
    void stop() override {
        if (running_) state_.PauseTiming();
        running_ = false;
    }

  private:
    benchmark::State& state_;
    bool running_ = false;
};

/// Whether `backend` (named `key`) runs the children of a join concurrently; found once per
/// backend and parameters, not once per repetition.
bool concurrent_children(const std::string& key, Backend& backend) {
    static std::mutex m;
    static std::map<std::string, bool> known;
    std::lock_guard lock(m);
    auto it = known.find(key);
    if (it == known.end()) it = known.emplace(key, join_children_run_concurrently(backend)).first;
    return it->second;
}

void measure(benchmark::State& state, const Primitive& p, const BackendDef& def,
             const std::map<std::string, ParamValue>& given, const std::string& key) {
    std::unique_ptr<Backend> backend = def.make(Params(def.params(), given));
    if (p.needs_concurrent_children && !concurrent_children(key, *backend)) {
        state.SkipWithError(fmt::format("not applicable: {} runs the children of a join one "
                                        "after another, so two that wait for each other would "
                                        "wait forever",
                                        def.name())
                                .c_str());
        return;
    }
    // One batch of all the iterations: one run(), whose setup is outside the timed part.
    const benchmark::IterationCount n = state.max_iterations;
    while (state.KeepRunningBatch(n)) {
        state.PauseTiming();
        StateClock clock(state);
        const std::string error = p.measure(*backend, static_cast<std::int64_t>(n), clock);
        clock.stop();
        state.ResumeTiming();
        if (!error.empty()) {
            state.SkipWithError(fmt::format("{} failed: {}", def.name(), error).c_str());
            break;
        }
    }
    state.SetItemsProcessed(state.iterations());
}

void register_all() {
    for (const Primitive& p : primitives())
        for (const BackendDef* def : backends()) {
            std::vector<std::map<std::string, ParamValue>> variants = {{}};
            if (p.varies_with_offload)
                for (const ParamSpec& s : def->params())
                    if (s.name == "offload")
                        for (const std::string& c : s.choices)
                            if (c != s.def_string) variants.push_back({{s.name, ParamValue(c)}});
            for (const auto& given : variants) {
                std::string name = p.name + "/" + def->name();
                for (const auto& [k, v] : given) name += "/" + k + "=" + to_string(v);
                benchmark::RegisterBenchmark(name.c_str(),
                                             [&p, def, given, name](benchmark::State& s) {
                                                 measure(s, p, *def, given, name);
                                             })
                    ->UseRealTime()
                    ->MeasureProcessCPUTime()
                    ->Unit(benchmark::kNanosecond);
            }
        }
}

}  // namespace

}  // namespace concbench::micro

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    concbench::micro::register_all();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
