#pragma once
// Exact conversion of upstream numbers to scaled integers (prices to cents, epochs and counts
// to whole numbers). JustTCG sends numbers as JSON numbers or as strings, and a price must
// round the way its decimal text reads (12.345 -> 1235 cents), not the way its nearest binary
// double happens to fall (1234.4999...). So both forms go through the decimal digits.

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace cardsync::justtcg {

enum class Rounding {
  half_away_from_zero,  // std::round: what "round(x * 100)" means for prices
  toward_zero           // truncation: fractional epoch seconds
};

// `text` × 10^places as an integer: "-12.345", "7", ".5", "1e3". nullopt when the text is not a
// plain decimal number or the result does not fit in int64.
std::optional<std::int64_t> scale_decimal(std::string_view text, int places, Rounding rounding);

// Same for a JSON number, or a string holding one. nullopt for anything else (null included).
std::optional<std::int64_t> scale_json_number(const rapidjson::Value& value, int places,
                                              Rounding rounding);

}  // namespace cardsync::justtcg
