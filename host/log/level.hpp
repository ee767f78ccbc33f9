#pragma once
// Severity of a log record. Ordered so `level >= min_level` decides whether it is emitted.

#include <optional>
#include <string_view>

namespace cardsync::log {

enum class Level { trace, debug, info, warn, error };

// Accepts the names to_string() produces, in any case ("info", "WARN"), because the same
// parser serves the config file and `--log-level` typed by a person.
std::optional<Level> parse_level(std::string_view name) noexcept;

// "trace", "debug", "info", "warn", "error": the spelling used in JSON lines and config.
std::string_view to_string(Level level) noexcept;

}  // namespace cardsync::log
