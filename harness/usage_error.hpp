// Bad input from the user: reported as one line on stderr with exit code 2, before anything
// is written.
#pragma once

#include <stdexcept>

namespace concbench {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr int kExitUsage = 2;

}  // namespace concbench
