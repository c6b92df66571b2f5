#include "units.hpp"

#include <fmt/format.h>

#include <cmath>

namespace concbench {

std::string format_seconds(double s) {
    if (std::isnan(s)) return "-";
    if (s < 1e-3) return fmt::format("{:.1f} us", s * 1e6);
    if (s < 1.0) return fmt::format("{:.1f} ms", s * 1e3);
    return fmt::format("{:.3f} s", s);
}

std::string format_bytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 4) {
        bytes /= 1024.0;
        ++u;
    }
    return u == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.1f} {}", bytes, units[u]);
}

}  // namespace concbench
