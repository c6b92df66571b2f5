// Where an async backend's offload() sends CPU work so that its event loop stays free: a set
// of threads of its own. No offloader means the work runs inline on the loop thread.
#pragma once

#include <functional>

namespace concbench {

class Offloader {
  public:
    /// Waits until every work submitted has run and its captures are destroyed, and stops the
    /// threads: destroy the offloader before the io_context its work posts to.
    virtual ~Offloader() = default;
    /// Runs `work` once on one of the offloader's threads, never inline. `work` must not
    /// throw.
    virtual void submit(std::function<void()> work) = 0;
    /// Cores its threads can keep busy.
    virtual std::size_t threads() const = 0;
};

}  // namespace concbench
