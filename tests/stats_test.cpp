// The statistics module against values worked out by hand (or by scipy's definitions).
#include "stats.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace concbench {
namespace {

std::vector<double> one_to(int n) {
    std::vector<double> xs;
    for (int i = 1; i <= n; ++i) xs.push_back(i);
    return xs;
}

TEST(Stats, Median) {
    EXPECT_DOUBLE_EQ(stats::median({3, 1, 2}), 2.0);
    EXPECT_DOUBLE_EQ(stats::median({4, 1, 3, 2}), 2.5);
    EXPECT_DOUBLE_EQ(stats::median({7}), 7.0);
    EXPECT_TRUE(std::isnan(stats::median({})));
}

TEST(Stats, NearestRankPercentile) {
    const auto xs = one_to(100);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted(xs, 0.50), 50);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted(xs, 0.90), 90);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted(xs, 0.99), 99);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted(xs, 1.0), 100);
    EXPECT_DOUBLE_EQ(stats::percentile_sorted({5.0}, 0.99), 5.0);
    EXPECT_TRUE(std::isnan(stats::percentile_sorted({}, 0.5)));
}

TEST(Stats, Summarize) {
    const auto s = stats::summarize({2, 4, 4, 4, 5, 5, 7, 9});
    EXPECT_EQ(s.n, 8u);
    EXPECT_DOUBLE_EQ(s.mean, 5.0);
    EXPECT_DOUBLE_EQ(s.median, 4.5);
    EXPECT_DOUBLE_EQ(s.min, 2);
    EXPECT_DOUBLE_EQ(s.max, 9);
    EXPECT_NEAR(s.stddev, std::sqrt(32.0 / 7.0), 1e-12);  // sample standard deviation
    EXPECT_NEAR(s.cv, std::sqrt(32.0 / 7.0) / 5.0, 1e-12);
    EXPECT_TRUE(std::isnan(stats::summarize({}).median));
    EXPECT_DOUBLE_EQ(stats::summarize({3}).stddev, 0.0);
}

TEST(Stats, MedianConfidenceIntervalFromOrderStatistics) {
    // n=10: [x(2), x(9)] covers 97.9%; [x(3), x(8)] only 89%.
    auto ci = stats::median_ci(one_to(10));
    EXPECT_DOUBLE_EQ(ci.low, 2);
    EXPECT_DOUBLE_EQ(ci.high, 9);
    // n=20: [x(6), x(15)] (95.9%).
    ci = stats::median_ci(one_to(20));
    EXPECT_DOUBLE_EQ(ci.low, 6);
    EXPECT_DOUBLE_EQ(ci.high, 15);
    // n=6: [min, max] is the only interval above 95% (96.9%).
    ci = stats::median_ci(one_to(6));
    EXPECT_DOUBLE_EQ(ci.low, 1);
    EXPECT_DOUBLE_EQ(ci.high, 6);
    // n=3: nothing reaches 95%; [min, max] it is.
    ci = stats::median_ci(one_to(3));
    EXPECT_DOUBLE_EQ(ci.low, 1);
    EXPECT_DOUBLE_EQ(ci.high, 3);
}

TEST(Stats, MedianConfidenceIntervalStaysSoundForLargeSamples) {
    // References (1-based ranks) from the exact binomial(n, 1/2) CDF summed in log space
    // (Python, lgamma): the largest j with P(B <= j - 1) <= 2.5%. n = 100 is the textbook
    // x(40)..x(61); 1,075 is where 0.5^n underflowed and gave [max, min].
    const struct {
        int n, low, high;
    } cases[] = {{5, 1, 5},           {100, 40, 61},          {1000, 469, 532},
                 {1074, 505, 570},    {1075, 505, 571},       {10000, 4902, 5099},
                 {1000000, 499020, 500981}};
    for (const auto& c : cases) {
        const auto ci = stats::median_ci(one_to(c.n));
        EXPECT_DOUBLE_EQ(ci.low, c.low) << "n=" << c.n;
        EXPECT_DOUBLE_EQ(ci.high, c.high) << "n=" << c.n;
        const auto s = stats::summarize(one_to(c.n));
        EXPECT_LE(s.median_ci.low, s.median) << "n=" << c.n;
        EXPECT_GE(s.median_ci.high, s.median) << "n=" << c.n;
    }
    EXPECT_DOUBLE_EQ(stats::median_ci({4.0}).low, 4.0);
    EXPECT_DOUBLE_EQ(stats::median_ci({4.0, 5.0}).high, 5.0);
}

TEST(Stats, RatioOfMediansWithBootstrapInterval) {
    const auto r = stats::ratio_of_medians({2, 2, 2}, {1, 1, 1});
    EXPECT_DOUBLE_EQ(r.value, 2.0);
    EXPECT_DOUBLE_EQ(r.ci.low, 2.0);
    EXPECT_DOUBLE_EQ(r.ci.high, 2.0);
    const auto spread = stats::ratio_of_medians({9, 10, 11, 10, 10}, {4, 5, 6, 5, 5});
    EXPECT_DOUBLE_EQ(spread.value, 2.0);
    EXPECT_LE(spread.ci.low, 2.0);
    EXPECT_GE(spread.ci.high, 2.0);
    EXPECT_GE(spread.ci.low, 9.0 / 6.0);  // no resample can go past the extremes
    EXPECT_LE(spread.ci.high, 11.0 / 4.0);
    // The same data give the same interval.
    const auto again = stats::ratio_of_medians({9, 10, 11, 10, 10}, {4, 5, 6, 5, 5});
    EXPECT_EQ(again.ci.low, spread.ci.low);
    EXPECT_EQ(again.ci.high, spread.ci.high);
}

TEST(Stats, MannWhitneyExact) {
    EXPECT_NEAR(stats::mann_whitney_p({1, 2, 3}, {4, 5, 6}), 0.1, 1e-12);  // 2 / C(6,3)
    EXPECT_NEAR(stats::mann_whitney_p({4, 5, 6}, {1, 2, 3}), 0.1, 1e-12);
    EXPECT_NEAR(stats::mann_whitney_p({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}), 2.0 / 252, 1e-12);
    EXPECT_NEAR(stats::mann_whitney_p(one_to(10), {11, 12, 13, 14, 15, 16, 17, 18, 19, 20}),
                1.082508822446903e-05, 1e-15);
    EXPECT_NEAR(stats::mann_whitney_p({1, 3, 5}, {2, 4, 6}), 0.7, 1e-12);  // 2 P(U <= 3) = 2 * 7/20
    EXPECT_DOUBLE_EQ(stats::mann_whitney_p({}, {1}), 1.0);
}

TEST(Stats, MannWhitneyNormalApproximationWithTies) {
    // Ties (2, 3, 4, 5 twice each): U = 2, tie-corrected variance, continuity correction.
    EXPECT_NEAR(stats::mann_whitney_p({1, 2, 2, 3, 4}, {3, 4, 5, 5, 6}), 0.03445363703947131,
                1e-12);
    EXPECT_DOUBLE_EQ(stats::mann_whitney_p({5, 5, 5}, {5, 5, 5}), 1.0);
}

}  // namespace
}  // namespace concbench
