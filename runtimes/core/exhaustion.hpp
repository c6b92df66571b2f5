// Running out of memory or open files, said so that a user can act on it: what ran out,
// the limit that was hit, and how to raise it.
#pragma once

#include <exception>
#include <string>

namespace concbench {

/// "out of memory (std::bad_alloc) at 1.2 GiB resident; limits: ulimit -v unlimited, ...:
/// lower tasks or concurrency, or raise the limit".
std::string memory_failure(const std::string& what);

/// For EMFILE and ENFILE: "too many open files (EMFILE): the limit is 1024 (hard 4096): ...".
std::string open_files_failure(int err);

/// The reason of a failed run from its exception: an actionable one for bad_alloc, EMFILE,
/// ENFILE and ENOMEM, what() for the rest. Never throws.
std::string describe(std::exception_ptr e);

}  // namespace concbench
