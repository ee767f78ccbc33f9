#pragma once
// "Did you mean" suggestions for misspelt keys and plugin names.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::config {

// Optimal-string-alignment Damerau-Levenshtein distance, case-insensitive (ASCII): a swapped
// pair of letters ("lsit" for "list") counts as one edit, which is how people mistype.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible typo: at most one
// edit per three characters of the candidate (minimum one). Ties go to the earliest candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace cardsync::config
