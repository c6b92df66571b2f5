// Fault injection for the delay server: with a given probability per request, answer
// wrongly in one of four ways, so clients' error handling and timeouts can be measured.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

namespace concbench {

enum class Fault {
    none,
    drop,     // close the connection after reading the request, without answering
    reset,    // send part of the response, then a TCP reset
    http500,  // answer 500 Internal Server Error (the connection stays usable)
    stall,    // never answer: hold the request until the client gives up (or --stall-ms)
};
inline constexpr std::array<Fault, 4> kFaults = {Fault::drop, Fault::reset, Fault::http500,
                                                 Fault::stall};

/// "drop", "reset", "500", "stall".
const char* to_string(Fault f);

/// The probability of each fault per request. They add up to at most 1.
struct FaultRates {
    std::array<double, kFaults.size()> p{};  // indexed like kFaults

    bool any() const;
    /// "drop=0.01,reset=0.01" (only those above 0), the form parse() reads.
    std::string text() const;
    /// Reads "KIND=P[,KIND=P...]" where KIND is drop, reset, 500 or stall and P a probability
    /// (0.01) or a percentage (1%). Throws ServerOptionError naming what is wrong and what is
    /// valid.
    static FaultRates parse(std::string_view spec);
};

/// Draws the fault (or none) for each request. Thread-safe.
class FaultInjector {
  public:
    explicit FaultInjector(FaultRates rates, std::uint64_t seed = 1) : rates_(rates), rng_(seed) {}
    Fault next();
    /// How many of each fault were injected, indexed like kFaults.
    std::uint64_t injected(Fault f) const;

  private:
    FaultRates rates_;
    std::mutex m_;
    std::mt19937_64 rng_;  // guarded by m_
    std::array<std::atomic<std::uint64_t>, kFaults.size()> injected_{};
};

}  // namespace concbench
