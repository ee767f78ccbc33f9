#pragma once
// The statistics upstream attaches to each variant (priceChange7d, avgPrice30d, ...). Each
// one is, per variant, a number, null, or absent, fixed by the seed: the same variant always
// looks the same, so a re-sync of unchanged data really is unchanged.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sandbox/catalog.hpp"

namespace cardsync::sandbox {

// Bits of the `include_statistics` timeframes. kAlways marks priceChange24hr.
enum Timeframe : unsigned {
  kAlways = 0,
  k7d = 1U << 0U,
  k30d = 1U << 1U,
  k90d = 1U << 2U,
  k1y = 1U << 3U,
  kAllTime = 1U << 4U,
};
// Without `include_statistics`, the 7-day figures come along (plus priceChange24hr).
inline constexpr unsigned kDefaultTimeframes = k7d;
inline constexpr unsigned kAllTimeframes = k7d | k30d | k90d | k1y | kAllTime;

// Prices are relative to the variant's price: lows at or below it, highs at or above it.
enum class StatisticKind {
  kPercent,
  kPrice,
  kPriceLow,
  kPriceHigh,
  kSpread,
  kRatio,
  kCount,
  kSlope,
  kDate
};

struct StatisticSpec {
  std::string_view name;
  unsigned timeframe;
  StatisticKind kind;
};

std::span<const StatisticSpec> variant_statistics();
// "7d" -> k7d, ..., "allTime" -> kAllTime; 0 when unknown.
unsigned timeframe_from_name(std::string_view name);

enum class Presence { kAbsent, kNull, kValue };

struct StatisticValue {
  Presence presence = Presence::kAbsent;
  std::string text;   // JSON number text, or the ISO date for kDate
  double number = 0;  // the value, for ordering
};

StatisticValue statistic_value(std::uint64_t seed, const VariantItem& variant,
                               std::size_t statistic);
// Index of a statistic by name; nullopt when unknown.
std::optional<std::size_t> find_statistic(std::string_view name);

}  // namespace cardsync::sandbox
