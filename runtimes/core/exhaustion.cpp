#include "exhaustion.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <cerrno>
#include <fstream>
#include <new>
#include <string_view>
#include <system_error>

namespace concbench {

namespace {

std::string limit_text(rlim_t v, std::string_view unit) {
    if (v == RLIM_INFINITY) return "unlimited";
    return unit == "KiB" ? fmt::format("{} KiB", v / 1024) : fmt::format("{}", v);
}

std::string rlimit_text(int resource, std::string_view unit) {
    rlimit lim{};
    if (getrlimit(resource, &lim) != 0) return "?";
    return limit_text(lim.rlim_cur, unit);
}

/// A "Key:   123 kB" line of a /proc file, in MiB; -1 if absent.
long long proc_kib(const char* file, std::string_view key) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
        if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() &&
            line[key.size()] == ':')
            return std::stoll(line.substr(key.size() + 1));
    return -1;
}

std::string mib(long long kib) {
    return kib < 0 ? "?" : fmt::format("{} MiB", kib / 1024);
}

}  // namespace

std::string memory_failure(const std::string& what) {
    rlimit as{}, data{};
    getrlimit(RLIMIT_AS, &as);
    getrlimit(RLIMIT_DATA, &data);
    const bool limited = as.rlim_cur != RLIM_INFINITY || data.rlim_cur != RLIM_INFINITY;
    return fmt::format(
        "out of memory ({}) at {} resident; limits: ulimit -v {}, ulimit -d {}, MemAvailable "
        "{}: lower tasks or concurrency, or {}",
        what, mib(proc_kib("/proc/self/status", "VmRSS")), rlimit_text(RLIMIT_AS, "KiB"),
        rlimit_text(RLIMIT_DATA, "KiB"), mib(proc_kib("/proc/meminfo", "MemAvailable")),
        limited ? "raise the limits (ulimit -v unlimited; ulimit -d unlimited)"
                : "run it where more memory is free");
}

std::string open_files_failure(int err) {
    if (err == ENFILE)
        return "too many open files in the system (ENFILE): raise fs.file-max with sysctl, or "
               "lower concurrency";
    rlimit lim{};
    getrlimit(RLIMIT_NOFILE, &lim);
    return fmt::format(
        "too many open files (EMFILE): the limit is {} (hard {}): raise it with `ulimit -n {}` "
        "(as root `ulimit -Hn` raises the hard one), or lower concurrency",
        limit_text(lim.rlim_cur, ""), limit_text(lim.rlim_max, ""), limit_text(lim.rlim_max, ""));
}

std::string describe(std::exception_ptr e) {
    try {
        try {
            std::rethrow_exception(e);
        } catch (const std::bad_alloc& x) {
            return memory_failure(x.what());
        } catch (const std::system_error& x) {
            const int err = x.code().category() == std::generic_category() ||
                                    x.code().category() == std::system_category()
                                ? x.code().value()
                                : 0;
            if (err == EMFILE || err == ENFILE) return open_files_failure(err);
            if (err == ENOMEM) return memory_failure(x.what());
            return x.what();
        } catch (const std::exception& x) {
            return x.what();
        } catch (...) {
            return "unknown exception";
        }
    } catch (...) {
        return "out of memory while describing a failure";  // formatting itself failed
    }
}

}  // namespace concbench
