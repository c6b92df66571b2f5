#include "tbb_io.hpp"

#include <oneapi/tbb/task_group.h>

namespace concbench {

bool TbbIo::suspend_join(std::span<Task<void>> children, std::coroutine_handle<>) {
    tbb::task_group group;
    for (auto& c : children) group.run([&c] { run_to_end(c); });
    // A child's own exception stays in its Task (join rethrows it); wait() throws only if
    // run_to_end did (a child suspended), after the started children have finished.
    group.wait();
    return false;
}

}  // namespace concbench
