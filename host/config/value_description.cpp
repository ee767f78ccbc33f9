#include "config/value_description.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "secrets/redaction.hpp"

namespace cardsync::config {
namespace {

constexpr std::size_t kMaxQuotedChars = 60;

// Cuts after kMaxQuotedChars characters without splitting a UTF-8 sequence.
std::string shorten(std::string_view s) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U) {
      if (chars == kMaxQuotedChars) return std::string(s.substr(0, i)) + "...";
      ++chars;
    }
  }
  return std::string(s);
}

}  // namespace

std::string json_type_name(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "boolean";
    case rapidjson::kObjectType:
      return "object";
    case rapidjson::kArrayType:
      return "array";
    case rapidjson::kStringType:
      return "string";
    case rapidjson::kNumberType:
      return value.IsInt64() || value.IsUint64() ? "integer" : "number";
  }
  return "value";
}

std::string compact_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

std::string describe_found(const rapidjson::Value& value, bool secret, bool with_type) {
  std::string type = json_type_name(value);
  if (value.IsObject() || value.IsArray() || value.IsNull()) return type;
  std::string shown;
  if (secret && !(value.IsString() && value.GetStringLength() == 0)) {
    shown = value.IsString() ? "\"" + std::string(kRedacted) + "\"" : std::string(kRedacted);
  } else if (value.IsString()) {
    const std::string masked =
        redact_text(std::string_view(value.GetString(), value.GetStringLength()));
    const std::string cut = shorten(masked);
    const rapidjson::Value short_value(rapidjson::StringRef(cut.data(), cut.size()));
    shown = compact_json(short_value);
  } else {
    shown = compact_json(value);
  }
  return with_type ? type + " " + shown : shown;
}

}  // namespace cardsync::config
