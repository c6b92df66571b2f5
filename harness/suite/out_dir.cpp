#include "out_dir.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>

#include "usage_error.hpp"

namespace concbench {

namespace fs = std::filesystem;

std::string default_out_name() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    std::random_device rd;
    return fmt::format("results/{}-{:06x}", stamp, rd() & 0xFFFFFF);
}

void prepare_out(const std::string& dir) {
    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec))
            throw UsageError(fmt::format("--out {} exists and is not a directory", dir));
        if (!fs::is_empty(dir, ec))
            throw UsageError(fmt::format(
                "--out {} is not empty: choose a new directory, or continue that suite with "
                "--resume {}",
                dir, dir));
    } else if (!fs::create_directories(dir, ec)) {
        throw UsageError(fmt::format("cannot create --out {}: {}", dir, ec.message()));
    }
    if (access(dir.c_str(), W_OK) != 0)
        throw UsageError(fmt::format("--out {} is not writable: {}", dir, std::strerror(errno)));
}

void point_latest_at(const std::string& dir) {
    const fs::path link = fs::path(dir).parent_path() / "latest";
    std::error_code ec;
    fs::remove(link, ec);
    fs::create_directory_symlink(fs::path(dir).filename(), link, ec);
}

}  // namespace concbench
