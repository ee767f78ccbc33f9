#include "config/redacted_config.hpp"

#include <string>

#include "secrets/redaction.hpp"

namespace cardsync::config {
namespace {

using rapidjson::Value;

bool reveals_nothing(const Value& v) {
  return v.IsNull() || (v.IsString() && v.GetStringLength() == 0);
}

Value copy_redacted(const Value& in, rapidjson::Document::AllocatorType& alloc) {
  if (in.IsObject()) {
    Value out(rapidjson::kObjectType);
    for (const auto& m : in.GetObject()) {
      Value name(m.name, alloc);
      const std::string_view key(m.name.GetString(), m.name.GetStringLength());
      if (is_secret_key(key) && !reveals_nothing(m.value)) {
        out.AddMember(
            name,
            Value(kRedacted.data(), static_cast<rapidjson::SizeType>(kRedacted.size()), alloc),
            alloc);
      } else {
        out.AddMember(name, copy_redacted(m.value, alloc), alloc);
      }
    }
    return out;
  }
  if (in.IsArray()) {
    Value out(rapidjson::kArrayType);
    out.Reserve(in.Size(), alloc);
    for (const auto& element : in.GetArray()) out.PushBack(copy_redacted(element, alloc), alloc);
    return out;
  }
  if (in.IsString()) {
    const std::string masked = redact_text(std::string_view(in.GetString(), in.GetStringLength()));
    return Value(masked.data(), static_cast<rapidjson::SizeType>(masked.size()), alloc);
  }
  return Value(in, alloc);
}

}  // namespace

rapidjson::Document redacted(const rapidjson::Value& config) {
  rapidjson::Document out;
  Value copy = copy_redacted(config, out.GetAllocator());
  static_cast<Value&>(out).Swap(copy);  // Document::Swap only takes another Document
  return out;
}

}  // namespace cardsync::config
