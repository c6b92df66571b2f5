#include "limits.hpp"

#include <sys/resource.h>

namespace concbench {

OpenFilesLimit raise_open_files(std::uint64_t wanted) {
    constexpr OpenFilesLimit unknown{std::numeric_limits<std::uint64_t>::max(),
                                     std::numeric_limits<std::uint64_t>::max()};
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return unknown;
    if (lim.rlim_cur < wanted && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
        if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return unknown;
    }
    return {lim.rlim_cur, lim.rlim_max};
}

}  // namespace concbench
