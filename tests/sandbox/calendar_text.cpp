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

std::int64_t start_of_day(std::int64_t epoch_seconds) {
  return floor_div(epoch_seconds, kDay) * kDay;
}

}  // namespace cardsync::sandbox
