// The CPU kernel of the `cpu` workload: a 64-bit linear congruential generator (PCG's
// constants) stepped n times. Each step depends on the last, so the compiler cannot skip or
// vectorise it, and the answer has an independent O(log n) check: jump-ahead by composing
// the affine map (Brown, "Random number generation with arbitrary strides", 1994).
#pragma once

#include <cstdint>

namespace concbench::cpu_kernel {

inline constexpr std::uint64_t kMul = 6364136223846793005ULL;
inline constexpr std::uint64_t kInc = 1442695040888963407ULL;
/// Steps in one unit of `work`.
inline constexpr std::uint64_t kStepsPerUnit = 1'000'000;

/// The work: x stepped n times, one step at a time.
inline std::uint64_t step(std::uint64_t x, std::uint64_t n) {
    for (std::uint64_t k = 0; k < n; ++k) x = x * kMul + kInc;
    return x;
}

/// The reference: the same answer in O(log n).
constexpr std::uint64_t jump(std::uint64_t x, std::uint64_t n) {
    std::uint64_t mul = kMul, inc = kInc, acc_mul = 1, acc_inc = 0;
    for (; n > 0; n >>= 1) {
        if (n & 1) {
            acc_mul *= mul;
            acc_inc = acc_inc * mul + inc;
        }
        inc = (mul + 1) * inc;
        mul *= mul;
    }
    return acc_mul * x + acc_inc;
}

/// A distinct start value per task (SplitMix64's finaliser).
constexpr std::uint64_t seed(std::uint64_t i) {
    std::uint64_t z = i + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace concbench::cpu_kernel
