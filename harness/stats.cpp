#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace concbench::stats {

double median(std::vector<double> xs) {
    if (xs.empty()) return std::numeric_limits<double>::quiet_NaN();
    const std::size_t mid = xs.size() / 2;
    std::nth_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(mid), xs.end());
    const double hi = xs[mid];
    if (xs.size() % 2 == 1) return hi;
    const double lo = *std::max_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lo + hi) / 2.0;
}

double percentile_sorted(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double rank = std::ceil(q * static_cast<double>(sorted.size()));
    const std::size_t idx = rank < 1.0 ? 0 : static_cast<std::size_t>(rank) - 1;
    return sorted[std::min(idx, sorted.size() - 1)];
}

}  // namespace concbench::stats
