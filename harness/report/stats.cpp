#include "stats.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace concbench::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double median(std::vector<double> xs) {
    if (xs.empty()) return kNaN;
    const std::size_t mid = xs.size() / 2;
    std::nth_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(mid), xs.end());
    const double hi = xs[mid];
    if (xs.size() % 2 == 1) return hi;
    const double lo = *std::max_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lo + hi) / 2.0;
}

double percentile_sorted(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return kNaN;
    const double rank = std::ceil(q * static_cast<double>(sorted.size()));
    const std::size_t idx = rank < 1.0 ? 0 : static_cast<std::size_t>(rank) - 1;
    return sorted[std::min(idx, sorted.size() - 1)];
}

Interval median_ci(const std::vector<double>& sorted) {
    // [x(j), x(n-1-j)] (0-based) covers the median with probability 1 - 2 P(B <= j),
    // B ~ binomial(n, 1/2): take the largest j with P(B <= j) <= 2.5%. Boost's CDF is the
    // regularized incomplete beta, sound for any n (a running product of the pmf from
    // 0.5^n underflows past n = 1074 and inverted the interval).
    namespace bm = boost::math;
    const std::size_t n = sorted.size();
    if (n < 2) return {sorted.front(), sorted.back()};
    const bm::binomial_distribution<double> b(static_cast<double>(n), 0.5);
    // The quantile is a first guess; the CDF itself decides, a step either way.
    auto j = static_cast<std::size_t>(std::max(0.0, bm::quantile(b, 0.025)));
    const std::size_t most = (n - 1) / 2;  // x(j) must not pass x(n-1-j)
    j = std::min(j, most);
    while (j > 0 && bm::cdf(b, static_cast<double>(j)) > 0.025) --j;
    while (j < most && bm::cdf(b, static_cast<double>(j + 1)) <= 0.025) ++j;
    // Below n = 6 not even [min, max] reaches 95%: it is the widest there is.
    if (bm::cdf(b, static_cast<double>(j)) > 0.025) j = 0;
    return {sorted[j], sorted[n - 1 - j]};
}

Summary summarize(std::vector<double> xs) {
    Summary s{};
    s.n = xs.size();
    if (xs.empty()) {
        s.median = s.mean = s.min = s.max = s.stddev = s.cv = kNaN;
        s.median_ci = {kNaN, kNaN};
        return s;
    }
    std::sort(xs.begin(), xs.end());
    s.min = xs.front();
    s.max = xs.back();
    s.median = median(xs);
    s.mean = std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(s.n);
    double ss = 0;
    for (double x : xs) ss += (x - s.mean) * (x - s.mean);
    s.stddev = s.n > 1 ? std::sqrt(ss / static_cast<double>(s.n - 1)) : 0.0;
    s.cv = s.mean != 0 ? s.stddev / s.mean : kNaN;
    s.median_ci = median_ci(xs);
    return s;
}

Ratio ratio_of_medians(const std::vector<double>& base, const std::vector<double>& x) {
    if (base.empty() || x.empty()) return {kNaN, {kNaN, kNaN}};
    const double value = median(base) / median(x);
    std::mt19937_64 rng(0x5EEDC0DE);
    constexpr int kResamples = 2000;
    std::vector<double> ratios;
    ratios.reserve(kResamples);
    std::vector<double> rb(base.size()), rx(x.size());
    std::uniform_int_distribution<std::size_t> pick_b(0, base.size() - 1), pick_x(0, x.size() - 1);
    for (int r = 0; r < kResamples; ++r) {
        for (auto& v : rb) v = base[pick_b(rng)];
        for (auto& v : rx) v = x[pick_x(rng)];
        ratios.push_back(median(rb) / median(rx));
    }
    std::sort(ratios.begin(), ratios.end());
    return {value, {percentile_sorted(ratios, 0.025), percentile_sorted(ratios, 0.975)}};
}

namespace {

/// Number of arrangements of m "a" and n "b" values with U = u, for every u (no ties).
std::vector<double> u_counts(std::size_t m, std::size_t n) {
    // f[i][j][u]: arrangements of i a's and j b's with U = u; built up one value at a time.
    std::vector<std::vector<std::vector<double>>> f(
        m + 1, std::vector<std::vector<double>>(n + 1, std::vector<double>(m * n + 1, 0.0)));
    for (std::size_t i = 0; i <= m; ++i)
        for (std::size_t j = 0; j <= n; ++j) {
            if (i == 0 || j == 0) {
                f[i][j][0] = 1;
                continue;
            }
            for (std::size_t u = 0; u <= i * j; ++u) {
                // The largest value is an a (it beats all j b's) or a b.
                const double with_a = u >= j ? f[i - 1][j][u - j] : 0.0;
                f[i][j][u] = with_a + f[i][j - 1][u];
            }
        }
    return f[m][n];
}

double normal_two_sided(double z) {
    return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

}  // namespace

double mann_whitney_p(const std::vector<double>& a, const std::vector<double>& b) {
    const std::size_t m = a.size(), n = b.size();
    if (m == 0 || n == 0) return 1.0;
    // Ranks of the pooled sample, ties getting their average rank.
    std::vector<std::pair<double, int>> pooled;
    for (double v : a) pooled.emplace_back(v, 0);
    for (double v : b) pooled.emplace_back(v, 1);
    std::sort(pooled.begin(), pooled.end());
    double rank_sum_a = 0, tie_term = 0;
    bool ties = false;
    for (std::size_t i = 0; i < pooled.size();) {
        std::size_t k = i;
        while (k < pooled.size() && pooled[k].first == pooled[i].first) ++k;
        const double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(k)) / 2.0;
        const double t = static_cast<double>(k - i);
        if (t > 1) ties = true;
        tie_term += t * t * t - t;
        for (std::size_t q = i; q < k; ++q)
            if (pooled[q].second == 0) rank_sum_a += avg_rank;
        i = k;
    }
    const double md = static_cast<double>(m), nd = static_cast<double>(n);
    const double u = rank_sum_a - md * (md + 1) / 2;  // U of a
    const double mean = md * nd / 2;
    if (!ties && m <= 30 && n <= 30) {
        const auto counts = u_counts(m, n);
        const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
        const double lo = std::min(u, md * nd - u);  // the smaller tail, by symmetry
        double tail = 0;
        for (std::size_t k = 0; k <= static_cast<std::size_t>(lo); ++k) tail += counts[k];
        return std::min(1.0, 2 * tail / total);
    }
    const double nn = md + nd;
    const double var = md * nd / 12 * ((nn + 1) - tie_term / (nn * (nn - 1)));
    if (var <= 0) return 1.0;
    const double z = (std::fabs(u - mean) - 0.5) / std::sqrt(var);
    return std::min(1.0, normal_two_sided(std::max(0.0, z)));
}

}  // namespace concbench::stats
