// The primitives the micro-suite measures, each written once against the runtime-neutral
// API (Io, Task, Event) and run on every backend: a root task that does the primitive n
// times between clock.start() and clock.stop(), so what run() costs to set up (threads, an
// io_context) stays outside the per-operation figure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend.hpp"

namespace concbench::micro {

/// Starts and stops the measurement from inside the root task (on a backend thread).
struct Clock {
    virtual ~Clock() = default;
    virtual void start() = 0;
    virtual void stop() = 0;
};

/// One primitive: its name (the benchmark family), what one operation is, and how to
/// measure n of them on a backend.
struct Primitive {
    std::string name;
    std::string what;
    /// Two children of one join wait for each other: only for backends that run them
    /// concurrently (join_children_run_concurrently), or the run would wait forever.
    bool needs_concurrent_children = false;
    /// Whether the backend's `offload` parameter changes what is measured.
    bool varies_with_offload = false;
    /// Runs n operations on `backend`, between clock.start() and clock.stop(). Returns
    /// the run's error, or an empty string.
    std::string (*measure)(Backend& backend, std::int64_t n, Clock& clock);
};

/// Every primitive, in the order of the report's rows.
const std::vector<Primitive>& primitives();

}  // namespace concbench::micro
