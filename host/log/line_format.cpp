#include "log/line_format.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <type_traits>

namespace cardsync::log {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

struct CivilTime {
  int year;
  unsigned month, day;
  long hour, minute, second, millis;
};

CivilTime to_civil(Clock::WallTime ts) {
  using namespace std::chrono;
  const auto ms = time_point_cast<milliseconds>(ts);
  // floor, not truncation, so instants before 1970 land on the right day.
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss tod{ms - day};
  return {static_cast<int>(ymd.year()),
          static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()),
          static_cast<long>(tod.hours().count()),
          static_cast<long>(tod.minutes().count()),
          static_cast<long>(tod.seconds().count()),
          static_cast<long>(tod.subseconds().count())};
}

// Returns the number of characters written to `out` ("2026-11-28T17:04:05.123Z").
size_t write_rfc3339(std::array<char, 40>& out, Clock::WallTime ts) {
  const CivilTime t = to_civil(ts);
  const int n = std::snprintf(out.data(), out.size(), "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ",
                              t.year, t.month, t.day, t.hour, t.minute, t.second, t.millis);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

size_t write_time_of_day(std::array<char, 40>& out, Clock::WallTime ts) {
  const CivilTime t = to_civil(ts);
  const int n = std::snprintf(out.data(), out.size(), "%02ld:%02ld:%02ld.%03ld", t.hour, t.minute,
                              t.second, t.millis);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

// Length of the valid UTF-8 sequence at the start of `s`, or 0 when it is invalid
// (bad lead byte, truncated, overlong, surrogate, beyond U+10FFFF).
size_t valid_utf8_prefix(std::string_view s) {
  rapidjson::MemoryStream in(s.data(), s.size());
  unsigned codepoint = 0;
  if (!rapidjson::UTF8<>::Decode(in, &codepoint)) return 0;
  // Past the end MemoryStream yields '\0', which is no continuation byte, so a sequence cut
  // short by the end of the string fails to decode rather than reading beyond it.
  return in.Tell();
}

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t n = valid_utf8_prefix(s.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Upstream error bodies can carry any bytes; a log line must stay valid UTF-8 regardless.
std::string replace_invalid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      out.push_back(s[i++]);
      continue;
    }
    const size_t n = valid_utf8_prefix(s.substr(i));
    if (n == 0) {
      out.append(kReplacementChar);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

void write_string(JsonWriter& w, std::string_view s) {
  if (is_valid_utf8(s)) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()), true);
  } else {
    const std::string fixed = replace_invalid_utf8(s);
    w.String(fixed.data(), static_cast<rapidjson::SizeType>(fixed.size()), true);
  }
}

void write_key(JsonWriter& w, std::string_view key) {
  if (key == "ts" || key == "level" || key == "msg" || key == "request_id") {
    std::string renamed = "_";
    renamed.append(key);
    write_string(w, renamed);
  } else {
    write_string(w, key);
  }
}

std::string_view non_finite_name(double d) {
  if (std::isnan(d)) return "NaN";
  return d > 0 ? "Infinity" : "-Infinity";
}

void write_value(JsonWriter& w, const Field::Value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          write_string(w, v);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          w.Int64(v);
        } else if constexpr (std::is_same_v<T, double>) {
          // The writer refuses non-finite numbers after emitting the separator, which would
          // leave a broken line.
          if (std::isfinite(v)) {
            w.Double(v);
          } else {
            write_string(w, non_finite_name(v));
          }
        } else {
          w.Bool(v);
        }
      },
      value);
}

std::string_view padded_upper(Level level) {
  switch (level) {
    case Level::trace:
      return "TRACE";
    case Level::debug:
      return "DEBUG";
    case Level::info:
      return "INFO ";
    case Level::warn:
      return "WARN ";
    case Level::error:
      return "ERROR";
  }
  return "?    ";
}

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// Escapes control characters so a message cannot start a fake line or drive the terminal.
void append_printable(std::string& out, std::string_view s) {
  for (char c : s) {
    if (!is_control(c)) {
      out.push_back(c);
      continue;
    }
    switch (c) {
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default: {
        std::array<char, 8> hex{};
        std::snprintf(hex.data(), hex.size(), "\\x%02x", static_cast<unsigned char>(c));
        out.append(hex.data());
      }
    }
  }
}

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s) {
    if (c == ' ' || c == '"' || c == '=' || is_control(c)) return true;
  }
  return false;
}

// A lone JSON value, for the text format's quoted strings and numbers.
std::string json_scalar(const Field::Value& value) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  write_value(w, value);
  return {buf.GetString(), buf.GetSize()};
}

void append_text_value(std::string& out, const Field::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    if (!needs_quotes(*s)) {
      out.append(is_valid_utf8(*s) ? *s : replace_invalid_utf8(*s));
      return;
    }
  }
  if (const auto* d = std::get_if<double>(&value); d != nullptr && !std::isfinite(*d)) {
    out.append(non_finite_name(*d));
    return;
  }
  out.append(json_scalar(value));
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) noexcept {
  if (name == "auto") return Format::auto_detect;
  if (name == "json") return Format::json;
  if (name == "text") return Format::text;
  return std::nullopt;
}

std::string_view to_string(Format format) noexcept {
  switch (format) {
    case Format::json:
      return "json";
    case Format::text:
      return "text";
    case Format::auto_detect:
      return "auto";
  }
  return "unknown";
}

std::string format_json_line(const Record& record) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("ts");
  std::array<char, 40> ts{};
  w.String(ts.data(), static_cast<rapidjson::SizeType>(write_rfc3339(ts, record.ts)), true);
  w.Key("level");
  const std::string_view level = to_string(record.level);
  w.String(level.data(), static_cast<rapidjson::SizeType>(level.size()));
  w.Key("msg");
  write_string(w, record.message);
  if (!record.request_id.empty()) {
    w.Key("request_id");
    write_string(w, record.request_id);
  }
  for (const Field& field : record.fields) {
    write_key(w, field.key);
    write_value(w, field.value);
  }
  w.EndObject();

  std::string line;
  line.reserve(buf.GetSize() + 1);
  line.append(buf.GetString(), buf.GetSize());
  line.push_back('\n');
  return line;
}

std::string format_text_line(const Record& record) {
  std::string line;
  line.reserve(64 + record.message.size() + record.fields.size() * 24);
  std::array<char, 40> ts{};
  line.append(ts.data(), write_time_of_day(ts, record.ts));
  line.push_back(' ');
  line.append(padded_upper(record.level));
  line.push_back(' ');
  append_printable(
      line, is_valid_utf8(record.message) ? record.message : replace_invalid_utf8(record.message));
  if (!record.fields.empty()) line.push_back(' ');
  for (const Field& field : record.fields) {
    line.push_back(' ');
    append_printable(line, field.key);
    line.push_back('=');
    append_text_value(line, field.value);
  }
  if (!record.request_id.empty()) {
    line.append(" [req=");
    append_printable(line, record.request_id);
    line.push_back(']');
  }
  line.push_back('\n');
  return line;
}

std::string format_line(const Record& record, Format format) {
  return format == Format::text ? format_text_line(record) : format_json_line(record);
}

}  // namespace cardsync::log
