// The output folder of a suite: its default name, the checks before anything is written, and
// results/latest.
#pragma once

#include <string>

namespace concbench {

/// "results/<UTC time>-<6 hex digits>".
std::string default_out_name();

/// Creates the output folder, or throws UsageError saying in one line why it cannot be used
/// (not a directory, not empty, not writable).
void prepare_out(const std::string& dir);

/// Points DIR/../latest at DIR (best effort).
void point_latest_at(const std::string& dir);

}  // namespace concbench
