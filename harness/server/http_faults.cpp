#include "http_faults.hpp"

#include <fmt/format.h>

#include <charconv>
#include <numeric>
#include <vector>

#include "server_option_error.hpp"

namespace concbench {

namespace {

std::size_t index_of(Fault f) {
    for (std::size_t i = 0; i < kFaults.size(); ++i)
        if (kFaults[i] == f) return i;
    return kFaults.size();
}

constexpr std::string_view kValid =
    "valid is KIND=P[,KIND=P...] with KIND one of drop, reset, 500, stall and P a probability "
    "(0.01) or a percentage (1%)";

double probability(std::string_view text, std::string_view item) {
    const bool percent = !text.empty() && text.back() == '%';
    if (percent) text.remove_suffix(1);
    double v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size())
        throw ServerOptionError(fmt::format("--fault {}: not a probability; {}", item, kValid));
    if (percent) v /= 100;
    if (!(v >= 0 && v <= 1))
        throw ServerOptionError(
            fmt::format("--fault {}: out of range: a probability is 0..1 (0%..100%)", item));
    return v;
}

}  // namespace

const char* to_string(Fault f) {
    switch (f) {
        case Fault::none:
            return "none";
        case Fault::drop:
            return "drop";
        case Fault::reset:
            return "reset";
        case Fault::http500:
            return "500";
        case Fault::stall:
            return "stall";
    }
    return "?";
}

bool FaultRates::any() const {
    for (double v : p)
        if (v > 0) return true;
    return false;
}

std::string FaultRates::text() const {
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < kFaults.size(); ++i)
        if (p[i] > 0) parts.push_back(fmt::format("{}={:g}", to_string(kFaults[i]), p[i]));
    return fmt::format("{}", fmt::join(parts, ","));
}

FaultRates FaultRates::parse(std::string_view spec) {
    FaultRates rates;
    if (spec.empty()) throw ServerOptionError(fmt::format("--fault is empty: {}", kValid));
    for (bool more = true; more;) {
        const std::size_t comma = spec.find(',');
        more = comma != std::string_view::npos;
        const std::string_view item = spec.substr(0, comma);
        spec.remove_prefix(more ? comma + 1 : spec.size());
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            throw ServerOptionError(fmt::format("--fault {}: missing '='; {}", item, kValid));
        const std::string_view kind = item.substr(0, eq);
        std::size_t i = 0;
        while (i < kFaults.size() && kind != to_string(kFaults[i])) ++i;
        if (i == kFaults.size())
            throw ServerOptionError(
                fmt::format("--fault {}: unknown fault '{}'; {}", item, kind, kValid));
        rates.p[i] = probability(item.substr(eq + 1), item);
    }
    const double total = std::accumulate(rates.p.begin(), rates.p.end(), 0.0);
    if (total > 1 + 1e-9)
        throw ServerOptionError(fmt::format(
            "--fault {}: the probabilities add up to {:g}, more than 1", rates.text(), total));
    return rates;
}

Fault FaultInjector::next() {
    if (!rates_.any()) return Fault::none;
    double u = 0;
    {
        std::lock_guard lock(m_);
        u = std::uniform_real_distribution<double>(0, 1)(rng_);
    }
    for (std::size_t i = 0; i < kFaults.size(); ++i) {
        if (u < rates_.p[i]) {
            injected_[i].fetch_add(1, std::memory_order_relaxed);
            return kFaults[i];
        }
        u -= rates_.p[i];
    }
    return Fault::none;
}

std::uint64_t FaultInjector::injected(Fault f) const {
    const std::size_t i = index_of(f);
    return i < kFaults.size() ? injected_[i].load(std::memory_order_relaxed) : 0;
}

}  // namespace concbench
