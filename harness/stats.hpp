// Small order statistics over doubles (the full statistics module comes with the report).
#pragma once

#include <vector>

namespace concbench::stats {

/// The median; NaN for an empty sample.
double median(std::vector<double> xs);

/// Nearest-rank percentile, q in [0, 1]: the smallest x with at least q of the sample <= x.
/// `sorted` must be sorted ascending; NaN for an empty sample.
double percentile_sorted(const std::vector<double>& sorted, double q);

}  // namespace concbench::stats
