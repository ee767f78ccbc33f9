#pragma once
// What a TCGplayer product id is once a person has typed it: decimal digits only, spaces
// around them dropped, leading zeros dropped (the id is a number: "0042" and "42" are one
// product, so they share one cache entry), and neither empty, zero, nor longer than any
// product id can be. The card lookup's keys are these, and a job key must already be one, so
// a typo never costs a request.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cardsync::justtcg {

inline constexpr std::size_t kMaxTcgplayerIdDigits = 12;

struct TcgplayerId {
  std::optional<std::string> digits;  // the canonical id when valid
  std::string problem;                // why not, fit to show the user
};

TcgplayerId normalise_tcgplayer_id(std::string_view raw);

}  // namespace cardsync::justtcg
