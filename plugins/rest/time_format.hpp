#pragma once
// Date/time text in a declared format, to and from Unix seconds: "%Y/%m/%d" for
// "2023/03/31", "%Y/%m/%d %H:%M:%S", or "iso8601" ("2024-01-02", "2024-01-02T03:04:05Z",
// "...+02:00", fractions dropped). Directives: %Y (four digits), %m %d %H %M %S (one or two
// digits), %z (Z, +HH:MM or +HHMM), %% (a percent sign); anything else must match literally.
// Times without a zone are UTC. Pure functions: thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cardsync::rest {

inline constexpr std::string_view kIso8601 = "iso8601";

// Unix seconds of `text` read in `format`; nullopt when it does not match the whole text or
// names an impossible date.
std::optional<std::int64_t> parse_time(std::string_view text, std::string_view format);

// `epoch` written in `format` (%Y %m %d %H %M %S %%, literal text); "iso8601" writes
// YYYY-MM-DDTHH:MM:SSZ.
std::string format_time(std::int64_t epoch, std::string_view format);

// Unix seconds of an HTTP Date header ("Sun, 06 Nov 1994 08:49:37 GMT"); nullopt otherwise.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// YYYY-MM-DD of `epoch` (UTC).
std::string iso_date(std::int64_t epoch);

// A format problem ("unknown directive %q"), or empty when the format is usable.
std::string check_time_format(std::string_view format);

}  // namespace cardsync::rest
