#pragma once
// cardsync SDK: reading fields of an upstream JSON item. Upstreams treat an absent member and
// a null one alike, and send numbers as strings or strings as numbers; these accessors fold
// those cases once so a provider's mapping reads as a list of fields. Pure functions over
// borrowed RapidJSON values: thread-safe, results borrow from the value unless they are
// std::string.

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cardsync::sdk {

// The member `key` of `obj`; nullptr when `obj` is not an object, or the member is absent or
// null. Borrows from `obj`.
inline const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

// A string value's text (borrowed); `fallback` for anything else, nullptr included.
inline std::string_view text_of(const rapidjson::Value* value, std::string_view fallback = {}) {
  return value != nullptr && value->IsString()
             ? std::string_view(value->GetString(), value->GetStringLength())
             : fallback;
}

// The string member `key` of `obj` (borrowed), else `fallback`.
inline std::string_view text_member(const rapidjson::Value& obj, const char* key,
                                    std::string_view fallback = {}) {
  return text_of(member(obj, key), fallback);
}

// Compact JSON text of `value`: a re-serialisation, so for the raw item as received use
// ParsedBody::raw (parsed_body.hpp) instead.
inline std::string json_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  value.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

// A string as sent, or a number as its decimal text (ids, years and collector numbers some
// upstreams send either way); nullopt for anything else, null and absent included.
inline std::optional<std::string> text_or_number(const rapidjson::Value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->IsString()) return std::string(value->GetString(), value->GetStringLength());
  if (value->IsInt64()) return std::to_string(value->GetInt64());
  if (value->IsUint64()) return std::to_string(value->GetUint64());
  if (value->IsNumber()) return json_text(*value);
  return std::nullopt;
}

// A whole number sent as a JSON integer or as a string of one ("1234", "-5"); nullopt for
// anything else: fractions, exponents, spaces, null and absent. For prices and other decimal
// amounts use decimal.hpp.
inline std::optional<std::int64_t> integer_of(const rapidjson::Value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->IsInt64()) return value->GetInt64();
  if (!value->IsString() || value->GetStringLength() == 0) return std::nullopt;
  std::int64_t n = 0;
  const char* end = value->GetString() + value->GetStringLength();
  auto [at, ec] = std::from_chars(value->GetString(), end, n);
  return ec == std::errc() && at == end ? std::optional(n) : std::nullopt;
}

}  // namespace cardsync::sdk
