// "did you mean" for misspelled names.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace concbench {

/// Levenshtein distance.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// "did you mean 'async'? " when one of `choices` is close to `word` (about a third of its
/// letters, and at least one, differ), else "".
inline std::string did_you_mean(std::string_view word, const std::vector<std::string>& choices) {
    const std::size_t allowed = std::max<std::size_t>(1, (word.size() + 1) / 3);
    const std::string* best = nullptr;
    std::size_t best_distance = allowed + 1;
    for (const auto& c : choices)
        if (const std::size_t d = edit_distance(word, c); d < best_distance) {
            best = &c;
            best_distance = d;
        }
    return best ? "did you mean '" + *best + "'? " : "";
}

}  // namespace concbench
