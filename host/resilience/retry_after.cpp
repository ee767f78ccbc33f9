#include "resilience/retry_after.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace cardsync {
namespace {

constexpr std::chrono::seconds kLongest = std::chrono::hours(24 * 365);

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, Clock::WallTime now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    long long secs = 0;
    for (char c : value) {
      secs = secs * 10 + (c - '0');
      if (secs > kLongest.count()) return kLongest;
    }
    return std::chrono::seconds(secs);
  }
  // An HTTP-date always names a month; requiring a letter keeps curl's lenient parser from
  // reading "1.5" or "-3" as a date.
  if (std::none_of(value.begin(), value.end(),
                   [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; })) {
    return std::nullopt;
  }
  // curl_getdate understands all three forms RFC 9110 requires recipients to accept.
  const std::string text(value);
  const time_t at = curl_getdate(text.c_str(), nullptr);
  if (at == -1) return std::nullopt;
  // Compared in whole seconds: curl reads years far beyond what the clock's nanoseconds hold
  // ("Sun Nov 6 08:49 :371994"), and converting such a date to a time_point would overflow.
  // With `now` floored, at - now_s is the delay rounded up to the next whole second.
  const auto now_s = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  if (at <= now_s) return std::chrono::seconds(0);
  if (at - now_s >= kLongest.count()) return kLongest;
  return std::chrono::seconds(at - now_s);
}

}  // namespace cardsync
