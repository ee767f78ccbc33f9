#include "time_format.hpp"

#include <array>

namespace cardsync::rest {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

struct Reader {
  std::string_view text;
  std::size_t at = 0;
  bool done() const { return at >= text.size(); }
  // Between min and max digits.
  std::optional<int> digits(std::size_t min, std::size_t max) {
    int v = 0;
    std::size_t n = 0;
    while (n < max && at < text.size() && text[at] >= '0' && text[at] <= '9') {
      v = v * 10 + (text[at++] - '0');
      ++n;
    }
    if (n < min) return std::nullopt;
    return v;
  }
  bool literal(char c) {
    if (at < text.size() && text[at] == c) {
      ++at;
      return true;
    }
    return false;
  }
  // Z, +HH:MM, +HHMM or +HH: seconds east of UTC.
  std::optional<int> zone() {
    if (literal('Z') || literal('z')) return 0;
    int sign = 1;
    if (literal('-')) {
      sign = -1;
    } else if (!literal('+')) {
      return std::nullopt;
    }
    auto h = digits(2, 2);
    if (!h) return std::nullopt;
    literal(':');
    auto m = digits(0, 2);
    return sign * (*h * 3600 + m.value_or(0) * 60);
  }
};

struct Fields {
  std::int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0, offset = 0;
};

std::optional<std::int64_t> to_epoch(const Fields& f) {
  if (f.month < 1 || f.month > 12 || f.day < 1 ||
      static_cast<unsigned>(f.day) > days_in_month(f.year, static_cast<unsigned>(f.month)) ||
      f.hour > 23 || f.minute > 59 || f.second > 60) {
    return std::nullopt;
  }
  return days_from_civil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day)) *
             86400 +
         f.hour * 3600 + f.minute * 60 + f.second - f.offset;
}

std::optional<std::int64_t> parse_iso(std::string_view text) {
  Reader r{text};
  Fields f;
  auto y = r.digits(4, 4);
  if (!y || !r.literal('-')) return std::nullopt;
  auto m = r.digits(2, 2);
  if (!m || !r.literal('-')) return std::nullopt;
  auto d = r.digits(2, 2);
  if (!d) return std::nullopt;
  f.year = *y, f.month = *m, f.day = *d;
  if (!r.done() && (r.literal('T') || r.literal('t') || r.literal(' '))) {
    auto h = r.digits(2, 2);
    if (!h || !r.literal(':')) return std::nullopt;
    auto mi = r.digits(2, 2);
    if (!mi) return std::nullopt;
    f.hour = *h, f.minute = *mi;
    if (r.literal(':')) {
      auto s = r.digits(2, 2);
      if (!s) return std::nullopt;
      f.second = *s;
      if (r.literal('.') || r.literal(',')) {
        if (!r.digits(1, 12)) return std::nullopt;
      }
    }
    if (!r.done()) {
      auto z = r.zone();
      if (!z) return std::nullopt;
      f.offset = *z;
    }
  }
  if (!r.done()) return std::nullopt;
  return to_epoch(f);
}

}  // namespace

std::optional<std::int64_t> parse_time(std::string_view text, std::string_view format) {
  if (format.empty() || format == kIso8601) return parse_iso(text);
  Reader r{text};
  Fields f;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      if (!r.literal(format[i])) return std::nullopt;
      continue;
    }
    const char d = format[++i];
    std::optional<int> v;
    switch (d) {
      case 'Y':
        v = r.digits(4, 4);
        if (v) f.year = *v;
        break;
      case 'm':
        v = r.digits(1, 2);
        if (v) f.month = *v;
        break;
      case 'd':
        v = r.digits(1, 2);
        if (v) f.day = *v;
        break;
      case 'H':
        v = r.digits(1, 2);
        if (v) f.hour = *v;
        break;
      case 'M':
        v = r.digits(1, 2);
        if (v) f.minute = *v;
        break;
      case 'S':
        v = r.digits(1, 2);
        if (v) f.second = *v;
        break;
      case 'z':
        v = r.zone();
        if (v) f.offset = *v;
        break;
      case '%':
        if (r.literal('%')) v = 0;
        break;
      default:
        return std::nullopt;
    }
    if (!v) return std::nullopt;
  }
  if (!r.done()) return std::nullopt;
  return to_epoch(f);
}

std::string format_time(std::int64_t epoch, std::string_view format) {
  const std::int64_t days = (epoch >= 0 ? epoch : epoch - 86399) / 86400;
  const std::int64_t secs = epoch - days * 86400;
  const Civil c = civil_from_days(days);
  const auto two = [](std::int64_t v) {
    std::string t = std::to_string(v);
    return t.size() < 2 ? "0" + t : t;
  };
  if (format == kIso8601) format = "%Y-%m-%dT%H:%M:%SZ";
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];
      continue;
    }
    switch (format[++i]) {
      case 'Y':
        out += std::to_string(c.year);
        break;
      case 'm':
        out += two(c.month);
        break;
      case 'd':
        out += two(c.day);
        break;
      case 'H':
        out += two(secs / 3600);
        break;
      case 'M':
        out += two(secs / 60 % 60);
        break;
      case 'S':
        out += two(secs % 60);
        break;
      default:
        out += format[i];
    }
  }
  return out;
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto comma = text.find(", ");
  if (comma == std::string_view::npos || text.size() < comma + 2 + 20) return std::nullopt;
  const std::string_view rest = text.substr(comma + 2);  // "06 Nov 1994 08:49:37 GMT"
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (rest.substr(3, 3) != kMonths[m]) continue;
    std::string numeric(rest.substr(0, 2));
    numeric += "/" + std::to_string(m + 1) + "/";
    numeric += rest.substr(7, 13);
    return parse_time(numeric, "%d/%m/%Y %H:%M:%S");
  }
  return std::nullopt;
}

std::string iso_date(std::int64_t epoch) {
  return format_time(epoch, "%Y-%m-%d");
}

std::string check_time_format(std::string_view format) {
  if (format == kIso8601 || format == "epoch") return {};
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size()) return "the format ends with a lone %";
    const char d = format[++i];
    if (std::string_view("YmdHMSz%").find(d) == std::string_view::npos) {
      return std::string("unknown directive %") + d + " (known: %Y %m %d %H %M %S %z %%)";
    }
  }
  return {};
}

}  // namespace cardsync::rest
