#pragma once
// The `log` section of the config file: its schema (validated by the config loader with the
// rest of the host schema) and the typed options read from it.

#include <rapidjson/fwd.h>

#include <string_view>

#include "log/level.hpp"
#include "log/line_format.hpp"

namespace cardsync::log {

// Defaults match the "default" of each property in log_section_schema().
struct LogOptions {
  Level level = Level::info;
  Format format = Format::auto_detect;
  int retention_days = 14;  // stored log lines older than this are deleted; 0 keeps them
};

// JSON Schema (draft-04) of the `log` section.
std::string_view log_section_schema();

// `section` is the value of the top-level "log" key, or nullptr when the key is absent;
// missing properties take their defaults. Expects a section that passed the schema: a
// value the schema forbids throws std::invalid_argument naming the property.
LogOptions read_log_options(const rapidjson::Value* section);

}  // namespace cardsync::log
