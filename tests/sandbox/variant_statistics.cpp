#include "sandbox/variant_statistics.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "sandbox/deterministic_hash.hpp"

namespace cardsync::sandbox {
namespace {

using K = StatisticKind;

constexpr std::array kStatistics{
    StatisticSpec{"priceChange24hr", kAlways, K::kPercent},
    StatisticSpec{"priceChange7d", k7d, K::kPercent},
    StatisticSpec{"avgPrice", k7d, K::kPrice},
    StatisticSpec{"minPrice7d", k7d, K::kPriceLow},
    StatisticSpec{"maxPrice7d", k7d, K::kPriceHigh},
    StatisticSpec{"stddevPopPrice7d", k7d, K::kSpread},
    StatisticSpec{"covPrice7d", k7d, K::kRatio},
    StatisticSpec{"iqrPrice7d", k7d, K::kSpread},
    StatisticSpec{"trendSlope7d", k7d, K::kSlope},
    StatisticSpec{"priceChangesCount7d", k7d, K::kCount},
    StatisticSpec{"priceChange30d", k30d, K::kPercent},
    StatisticSpec{"avgPrice30d", k30d, K::kPrice},
    StatisticSpec{"minPrice30d", k30d, K::kPriceLow},
    StatisticSpec{"maxPrice30d", k30d, K::kPriceHigh},
    StatisticSpec{"stddevPopPrice30d", k30d, K::kSpread},
    StatisticSpec{"covPrice30d", k30d, K::kRatio},
    StatisticSpec{"iqrPrice30d", k30d, K::kSpread},
    StatisticSpec{"trendSlope30d", k30d, K::kSlope},
    StatisticSpec{"priceChangesCount30d", k30d, K::kCount},
    StatisticSpec{"priceRelativeTo30dRange", k30d, K::kRatio},
    StatisticSpec{"priceChange90d", k90d, K::kPercent},
    StatisticSpec{"avgPrice90d", k90d, K::kPrice},
    StatisticSpec{"minPrice90d", k90d, K::kPriceLow},
    StatisticSpec{"maxPrice90d", k90d, K::kPriceHigh},
    StatisticSpec{"stddevPopPrice90d", k90d, K::kSpread},
    StatisticSpec{"covPrice90d", k90d, K::kRatio},
    StatisticSpec{"iqrPrice90d", k90d, K::kSpread},
    StatisticSpec{"trendSlope90d", k90d, K::kSlope},
    StatisticSpec{"priceChangesCount90d", k90d, K::kCount},
    StatisticSpec{"priceRelativeTo90dRange", k90d, K::kRatio},
    StatisticSpec{"minPrice1y", k1y, K::kPriceLow},
    StatisticSpec{"maxPrice1y", k1y, K::kPriceHigh},
    StatisticSpec{"minPriceAllTime", kAllTime, K::kPriceLow},
    StatisticSpec{"minPriceAllTimeDate", kAllTime, K::kDate},
    StatisticSpec{"maxPriceAllTime", kAllTime, K::kPriceHigh},
    StatisticSpec{"maxPriceAllTimeDate", kAllTime, K::kDate},
};

// Fixed-point text for scaled / 10^decimals: integer formatting only, because printf of
// doubles dominated the cost of serving a page.
std::string fixed(std::int64_t scaled, int decimals) {
  std::array<char, 32> buf{};
  char* p = buf.data();
  if (scaled < 0) *p++ = '-';
  std::uint64_t magnitude = scaled < 0 ? static_cast<std::uint64_t>(-(scaled + 1)) + 1
                                       : static_cast<std::uint64_t>(scaled);
  std::uint64_t divisor = 1;
  for (int i = 0; i < decimals; ++i) divisor *= 10;
  p = std::to_chars(p, buf.data() + buf.size(), magnitude / divisor).ptr;
  if (decimals > 0) {
    *p++ = '.';
    std::uint64_t fraction = magnitude % divisor;
    for (std::uint64_t d = divisor / 10; d > 0; d /= 10) {
      *p++ = static_cast<char>('0' + (fraction / d) % 10);
    }
  }
  return {buf.data(), p};
}

double scaled_value(std::int64_t scaled, int decimals) {
  double v = static_cast<double>(scaled);
  for (int i = 0; i < decimals; ++i) v /= 10.0;
  return v;
}

}  // namespace

std::span<const StatisticSpec> variant_statistics() {
  return kStatistics;
}

unsigned timeframe_from_name(std::string_view name) {
  if (name == "7d") return k7d;
  if (name == "30d") return k30d;
  if (name == "90d") return k90d;
  if (name == "1y") return k1y;
  if (name == "allTime") return kAllTime;
  return 0;
}

std::optional<std::size_t> find_statistic(std::string_view name) {
  for (std::size_t i = 0; i < kStatistics.size(); ++i) {
    if (kStatistics[i].name == name) return i;
  }
  return std::nullopt;
}

StatisticValue statistic_value(std::uint64_t seed, const VariantItem& variant,
                               std::size_t statistic) {
  StatisticValue out;
  double presence = unit_interval(mix(seed, Facet::kStatistic, variant.index, statistic));
  if (presence < 0.10) return out;
  if (presence < 0.25) {
    out.presence = Presence::kNull;
    return out;
  }
  out.presence = Presence::kValue;
  std::uint64_t h = mix(seed, Facet::kStatisticValue, variant.index, statistic);
  const std::int64_t cents = variant.price_cents;
  const auto span = static_cast<std::int64_t>(h % 31);  // 0..30 per cent of the price
  std::int64_t scaled = 0;
  int decimals = 2;
  switch (kStatistics.at(statistic).kind) {
    case K::kPercent:
      scaled = static_cast<std::int64_t>(h % 10001) - 5000;  // -50.00 .. 50.00
      break;
    case K::kPrice:
      scaled = cents * (85 + span) / 100;
      break;
    case K::kPriceLow:
      scaled = cents * (70 + span) / 100;
      break;
    case K::kPriceHigh:
      scaled = cents * (100 + span) / 100;
      break;
    case K::kSpread:
      scaled = cents * span / 100;
      break;
    case K::kRatio:
      scaled = static_cast<std::int64_t>(h % 10001);  // 0.0000 .. 1.0000
      decimals = 4;
      break;
    case K::kSlope:
      scaled = static_cast<std::int64_t>(h % 2001) - 1000;  // -0.1000 .. 0.1000
      decimals = 4;
      break;
    case K::kCount:
      scaled = static_cast<std::int64_t>(h % 40);
      decimals = 0;
      break;
    case K::kDate: {
      using namespace std::chrono;
      year_month_day ymd{sys_days{days{17532 + static_cast<int>(h % 2190)}}};
      std::array<char, 32> buf{};
      std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT00:00:00.000Z",
                    static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                    static_cast<unsigned>(ymd.day()));
      out.text = buf.data();
      out.number = static_cast<double>(h % 2190);
      return out;
    }
  }
  out.text = fixed(scaled, decimals);
  out.number = scaled_value(scaled, decimals);
  return out;
}

}  // namespace cardsync::sandbox
