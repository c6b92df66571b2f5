#include "stats.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace concbench {
namespace {

TEST(Stats, Median) {
    EXPECT_DOUBLE_EQ(stats::median({3, 1, 2}), 2.0);
    EXPECT_DOUBLE_EQ(stats::median({4, 1, 3, 2}), 2.5);
    EXPECT_DOUBLE_EQ(stats::median({7}), 7.0);
    EXPECT_TRUE(std::isnan(stats::median({})));
}

TEST(Stats, NearestRankPercentile) {
    std::vector<double> xs;
    for (int i = 1; i <= 100; ++i) xs.push_back(i);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted(xs, 0.50), 50);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted(xs, 0.90), 90);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted(xs, 0.99), 99);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted(xs, 1.0), 100);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted({5.0}, 0.99), 5.0);
    EXPECT_TRUE(std::isnan(stats::percentile_sorted({}, 0.5)));
}

}  // namespace
}  // namespace concbench
