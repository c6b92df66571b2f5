// Ctrl-C (SIGINT) and SIGTERM during a suite: the handlers only note the signal; the runner
// sees it (poll() returns EINTR), kills the run in flight and the suite stops cleanly.
#pragma once

namespace concbench {

/// Installs the handlers (without SA_RESTART, so blocking waits return early).
void catch_interrupts();

/// The signal that asked the suite to stop, or 0.
int interrupted();

}  // namespace concbench
