#pragma once
// cardsync SDK: exact conversion of upstream numbers to scaled integers (prices to cents,
// epochs and counts to whole numbers). Upstreams send numbers as JSON numbers or as strings,
// and a price must round the way its decimal text reads (12.345 -> 1235 cents), not the way
// its nearest binary double falls (1234.4999...), so both forms go through the decimal
// digits. Pure functions: thread-safe, no allocation beyond the result's digits.

#include <rapidjson/document.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace cardsync::sdk {

enum class Rounding {
  half_away_from_zero,  // what "round(x * 100)" means for prices
  toward_zero           // truncation: fractional epoch seconds
};

namespace detail {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Sums past 18 digits would overflow int64; no price or epoch needs that many.
constexpr std::size_t kMaxDigits = 18;

}  // namespace detail

// `text` x 10^places as an integer: "-12.345", "7", ".5", "1e3". nullopt when the text is not
// a plain decimal number or the result does not fit in int64.
inline std::optional<std::int64_t> scale_decimal(std::string_view text, int places,
                                                 Rounding rounding) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  // value = digits × 10^exponent
  std::string digits;
  long exponent = 0;
  bool any_digit = false;
  for (; i < text.size() && detail::is_digit(text[i]); ++i) {
    digits += text[i];
    any_digit = true;
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && detail::is_digit(text[i]); ++i) {
      digits += text[i];
      --exponent;
      any_digit = true;
    }
  }
  if (!any_digit) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    long e = 0;
    const std::size_t start = i;
    for (; i < text.size() && detail::is_digit(text[i]); ++i) {
      if (e > 100000) return std::nullopt;
      e = e * 10 + (text[i] - '0');
    }
    if (i == start) return std::nullopt;
    exponent += exp_negative ? -e : e;
  }
  if (i != text.size()) return std::nullopt;

  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0;
  digits.erase(0, first);

  const long shift = exponent + places;  // result = digits × 10^shift
  std::string whole;
  char next = '0';  // the first digit dropped, which decides rounding
  if (shift >= 0) {
    if (digits.size() + static_cast<std::size_t>(shift) > detail::kMaxDigits) return std::nullopt;
    whole = digits + std::string(static_cast<std::size_t>(shift), '0');
  } else {
    const long keep = static_cast<long>(digits.size()) + shift;
    if (keep > 0) {
      whole = digits.substr(0, static_cast<std::size_t>(keep));
      next = digits[static_cast<std::size_t>(keep)];
    } else if (keep == 0) {
      next = digits[0];
    }
    if (whole.size() > detail::kMaxDigits) return std::nullopt;
  }
  std::int64_t magnitude = 0;
  for (char c : whole) magnitude = magnitude * 10 + (c - '0');
  if (rounding == Rounding::half_away_from_zero && next >= '5') ++magnitude;
  return negative ? -magnitude : magnitude;
}

// Same for a JSON number, or a string holding one. nullopt for anything else (null included).
inline std::optional<std::int64_t> scale_json_number(const rapidjson::Value& value, int places,
                                                     Rounding rounding) {
  if (value.IsString()) {
    return scale_decimal({value.GetString(), value.GetStringLength()}, places, rounding);
  }
  if (!value.IsNumber()) return std::nullopt;
  std::array<char, 64> buf{};
  std::to_chars_result r{};
  if (value.IsInt64()) {
    r = std::to_chars(buf.data(), buf.data() + buf.size(), value.GetInt64());
  } else if (value.IsUint64()) {
    r = std::to_chars(buf.data(), buf.data() + buf.size(), value.GetUint64());
  } else {
    const double d = value.GetDouble();
    if (!std::isfinite(d)) return std::nullopt;
    // The shortest text that reads back as the same double: the digits the upstream wrote.
    r = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  }
  if (r.ec != std::errc{}) return std::nullopt;
  return scale_decimal({buf.data(), static_cast<std::size_t>(r.ptr - buf.data())}, places,
                       rounding);
}

// A price in cents from a JSON number or numeric string, rounded half away from zero.
inline std::optional<std::int64_t> to_cents(const rapidjson::Value& value) {
  return scale_json_number(value, 2, Rounding::half_away_from_zero);
}

}  // namespace cardsync::sdk
