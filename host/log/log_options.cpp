#include "log/log_options.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace cardsync::embedded {
extern const std::string_view log_schema_json;
}

namespace cardsync::log {
namespace {

std::optional<std::string_view> string_property(const rapidjson::Value& section, const char* name) {
  const auto it = section.FindMember(name);
  if (it == section.MemberEnd()) return std::nullopt;
  if (!it->value.IsString()) {
    throw std::invalid_argument(std::string("log.") + name + ": expected a string");
  }
  return std::string_view(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

std::string_view log_section_schema() {
  return embedded::log_schema_json;
}

LogOptions read_log_options(const rapidjson::Value* section) {
  LogOptions options;
  if (section == nullptr) return options;
  if (!section->IsObject()) throw std::invalid_argument("log: expected an object");

  if (const auto level = string_property(*section, "level")) {
    const auto parsed = parse_level(*level);
    if (!parsed) {
      throw std::invalid_argument(
          "log.level: expected one of trace, debug, info, warn, error; "
          "found \"" +
          std::string(*level) + "\"");
    }
    options.level = *parsed;
  }
  if (const auto format = string_property(*section, "format")) {
    const auto parsed = parse_format(*format);
    if (!parsed) {
      throw std::invalid_argument("log.format: expected one of auto, json, text; found \"" +
                                  std::string(*format) + "\"");
    }
    options.format = *parsed;
  }
  if (auto it = section->FindMember("retention_days"); it != section->MemberEnd()) {
    if (!it->value.IsInt() || it->value.GetInt() < 0) {
      throw std::invalid_argument("log.retention_days: expected an integer >= 0");
    }
    options.retention_days = it->value.GetInt();
  }
  return options;
}

}  // namespace cardsync::log
