#include "sandbox/calendar_text.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace cardsync::sandbox {
namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);
}

}  // namespace

std::string date_text(std::int64_t epoch_seconds, char separator) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{floor_div(epoch_seconds, kDay)}}};
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d%c%02u%c%02u", static_cast<int>(ymd.year()), separator,
                static_cast<unsigned>(ymd.month()), separator, static_cast<unsigned>(ymd.day()));
  return buf.data();
}

std::string date_time_text(std::int64_t epoch_seconds, char separator) {
  const std::int64_t second_of_day = epoch_seconds - start_of_day(epoch_seconds);
  std::array<char, 12> time{};
  std::snprintf(time.data(), time.size(), " %02d:%02d:%02d", static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
  return date_text(epoch_seconds, separator) + time.data();
}

std::string iso_timestamp_text(std::int64_t epoch_seconds) {
  std::string text = date_time_text(epoch_seconds, '-');
  text[10] = 'T';
  return text + "Z";
}

std::optional<std::int64_t> parse_iso_timestamp(std::string_view text) {
  using namespace std::chrono;
  // Digits at every position but these; then the fields must make a real date and time.
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return std::nullopt;
  }
  auto field = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const year_month_day ymd{year{field(0, 4)}, month{static_cast<unsigned>(field(5, 2))},
                           day{static_cast<unsigned>(field(8, 2))}};
  const int hour = field(11, 2);
  const int minute = field(14, 2);
  const int second = field(17, 2);
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return sys_days{ymd}.time_since_epoch().count() * kDay + hour * 3600 + minute * 60 + second;
}

std::int64_t start_of_day(std::int64_t epoch_seconds) {
  return floor_div(epoch_seconds, kDay) * kDay;
}

}  // namespace cardsync::sandbox
