#pragma once
// How a record becomes one line of text. JSON lines are for machines (log shippers, the
// storage sink's raw copy); text is for a person watching a terminal.

#include <optional>
#include <string>
#include <string_view>

#include "log/record.hpp"

namespace cardsync::log {

enum class Format {
  json,
  text,
  // Text when the destination is a terminal, JSON lines otherwise; resolved by the sink.
  auto_detect,
};

// "auto", "json", "text": the spellings of the `log.format` config option.
std::optional<Format> parse_format(std::string_view name) noexcept;
std::string_view to_string(Format format) noexcept;

// {"ts":"2026-11-28T17:04:05.123Z","level":"info","msg":"...","request_id":"...",<fields>}\n
// `ts` is UTC RFC 3339 with milliseconds; `request_id` is left out when empty; fields follow
// in order with their JSON types. A field named like a reserved key (ts, level, msg,
// request_id) is written as "_<key>" so it cannot shadow the real one. Invalid UTF-8 is
// replaced by U+FFFD so the line always parses; NaN and infinities, which JSON cannot hold,
// are written as the strings "NaN", "Infinity", "-Infinity".
std::string format_json_line(const Record& record);

// 17:04:05.123 INFO  message  key=value key2="two words" [req=abc]\n
// Time of day in UTC. Values with spaces, quotes, '=' or control characters are quoted
// JSON-style; control characters in the message are escaped so one record is one line.
std::string format_text_line(const Record& record);

// `format` must be json or text (auto_detect is a sink's decision, not a line format).
std::string format_line(const Record& record, Format format);

}  // namespace cardsync::log
