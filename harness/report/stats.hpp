// The statistics of repeated measurements, in doubles: order statistics, a distribution-free
// confidence interval of the median, bootstrap intervals of ratios, and the Mann-Whitney U
// test that `compare` uses.
#pragma once

#include <cstddef>
#include <vector>

namespace concbench::stats {

struct Interval {
    double low, high;
};

struct Summary {
    std::size_t n = 0;
    double median, mean, min, max;
    double stddev;       // sample standard deviation (n - 1); 0 for n = 1
    double cv;           // stddev / mean
    Interval median_ci;  // ~95%: see median_ci()
};

/// NaN-filled for an empty sample.
Summary summarize(std::vector<double> xs);

/// The median; NaN for an empty sample.
double median(std::vector<double> xs);

/// Nearest-rank percentile, q in [0, 1]: the smallest x with at least q of the sample <= x.
/// `sorted` must be sorted ascending; NaN for an empty sample.
double percentile_sorted(const std::vector<double>& sorted, double q);

/// The order-statistics interval [x(j), x(k)] around the median with at least 95% coverage
/// (binomial(n, 1/2)), the narrowest symmetric one. Below n = 6 no such interval exists and
/// this is [min, max] (coverage 1 - 2^(1-n)). `sorted` ascending, non-empty.
Interval median_ci(const std::vector<double>& sorted);

/// The ratio median(base) / median(x) (how many times faster x is than base when both are
/// times) with a 95% percentile bootstrap interval (2000 resamples, fixed seed: the same
/// data give the same interval).
struct Ratio {
    double value;
    Interval ci;
};
Ratio ratio_of_medians(const std::vector<double>& base, const std::vector<double>& x);

/// Two-sided p-value of the Mann-Whitney U test that a and b come from the same
/// distribution: exact when there are no ties and both samples have at most 30 values,
/// else the normal approximation with tie and continuity corrections. 1 when either is empty.
double mann_whitney_p(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace concbench::stats
