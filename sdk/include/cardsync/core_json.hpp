#pragma once
// cardsync SDK: a flat JSON object written field by field: a record's core_json
// (docs/canonical-records.md), a job cursor, a job payload. Absent values become null, so a
// mapping states every canonical field once and no field is forgotten:
//
//   std::string core = sdk::JsonObject()
//                          .text("name", sdk::member(set, "name"))       // string or null
//                          .integer("cards_count", count)                // optional<int64_t>
//                          .str();
//
// The *_if variants leave the key out instead (cursors that carry only what is known). One
// object per thread; str() finishes it.

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::sdk {

class JsonObject {
 public:
  JsonObject() { w_.StartObject(); }

  // A string, or null when `value` is nullopt.
  JsonObject& text(std::string_view key, std::optional<std::string_view> value) {
    this->key(key);
    value ? string(*value) : null_value();
    return *this;
  }
  // A string member of an upstream item, or null when it is absent, null or not a string.
  JsonObject& text(std::string_view key, const rapidjson::Value* value) {
    return text(key, value != nullptr && value->IsString()
                         ? std::optional<std::string_view>(
                               std::string_view(value->GetString(), value->GetStringLength()))
                         : std::nullopt);
  }
  JsonObject& integer(std::string_view key, std::optional<std::int64_t> value) {
    this->key(key);
    value ? w_.Int64(*value) : null_value();
    return *this;
  }
  JsonObject& number(std::string_view key, std::optional<double> value) {
    this->key(key);
    value ? w_.Double(*value) : null_value();
    return *this;
  }
  JsonObject& boolean(std::string_view key, bool value) {
    this->key(key);
    w_.Bool(value);
    return *this;
  }
  JsonObject& null(std::string_view key) {
    this->key(key);
    null_value();
    return *this;
  }
  JsonObject& strings(std::string_view key, const std::vector<std::string>& values) {
    this->key(key);
    w_.StartArray();
    for (const auto& v : values) string(v);
    w_.EndArray();
    return *this;
  }
  // `json` (already JSON text of type `type`) as the value, written as is.
  JsonObject& raw(std::string_view key, std::string_view json, rapidjson::Type type) {
    this->key(key);
    w_.RawValue(json.data(), json.size(), type);
    return *this;
  }
  JsonObject& text_if(std::string_view key, std::optional<std::string_view> value) {
    return value ? text(key, value) : *this;
  }
  JsonObject& integer_if(std::string_view key, std::optional<std::int64_t> value) {
    return value ? integer(key, value) : *this;
  }

  // The object's text. Call once, last.
  std::string str() {
    w_.EndObject();
    return {buf_.GetString(), buf_.GetSize()};
  }

 private:
  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  bool string(std::string_view s) {
    return w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  bool null_value() { return w_.Null(); }

  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_{buf_};
};

}  // namespace cardsync::sdk
