#include "narrative.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fields.hpp"
#include "units.hpp"

namespace concbench {

std::vector<std::string> what_this_shows(const std::vector<const CellSummary*>& group) {
    std::vector<std::string> out;
    std::vector<const CellSummary*> ok;
    for (const auto* c : group)
        if (c->ok > 0) ok.push_back(c);
    if (!ok.empty()) {
        const auto* fastest = *std::min_element(
            ok.begin(), ok.end(), [](auto* a, auto* b) { return a->wall.median < b->wall.median; });
        const std::string& base = fastest->baseline;
        if (fastest->backend != base && fastest->vs_baseline) {
            const auto& r = *fastest->vs_baseline;
            out.push_back(fmt::format("{} is {:.2f}× faster than {} (95% CI {:.2f}–{:.2f}).",
                                      fastest->backend, r.value, base, r.ci.low, r.ci.high));
        } else if (ok.size() > 1) {
            const CellSummary* second = nullptr;
            for (const auto* c : ok)
                if (c != fastest && (!second || c->wall.median < second->wall.median)) second = c;
            out.push_back(fmt::format("{} is fastest; the next, {}, takes {:.2f}× as long.",
                                      fastest->backend, second->backend,
                                      second->wall.median / fastest->wall.median));
        }
        const CellSummary* most = nullptr;
        const CellSummary* least = nullptr;
        for (const auto* c : ok) {
            if (!c->peak_rss_bytes) continue;
            if (!most || *c->peak_rss_bytes > *most->peak_rss_bytes) most = c;
            if (!least || *c->peak_rss_bytes < *least->peak_rss_bytes) least = c;
        }
        if (most && least && *most->peak_rss_bytes >= 1.5 * *least->peak_rss_bytes)
            out.push_back(fmt::format("{} used {:.1f}× the memory of {} ({} vs {}).", most->backend,
                                      *most->peak_rss_bytes / *least->peak_rss_bytes,
                                      least->backend, format_bytes(*most->peak_rss_bytes),
                                      format_bytes(*least->peak_rss_bytes)));
    }
    for (const auto* c : group)
        if (c->ok < c->runs)
            out.push_back(fmt::format("{}: {} of {} runs did not succeed ({}).", c->backend,
                                      c->runs - c->ok, c->runs, capped_error(c->first_error)));
    return out;
}

}  // namespace concbench
