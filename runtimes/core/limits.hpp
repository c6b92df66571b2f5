// Process limits a run or a server may need raised before it starts, raised in one place.
#pragma once

#include <cstdint>
#include <limits>

namespace concbench {

/// The open-files limit (RLIMIT_NOFILE): soft is what is in force, hard is how far an
/// unprivileged process may raise it.
struct OpenFilesLimit {
    std::uint64_t soft = 0;
    std::uint64_t hard = 0;
};

/// Raises the soft limit of open files to the hard one if it is below `wanted` (by default:
/// whenever it is below the hard one), since many concurrent connections need many
/// descriptors. Returns the limits in force afterwards; if they cannot be read, both are
/// reported as unlimited, so callers go on and meet EMFILE, which is reported where it happens.
OpenFilesLimit raise_open_files(std::uint64_t wanted = std::numeric_limits<std::uint64_t>::max());

}  // namespace concbench
