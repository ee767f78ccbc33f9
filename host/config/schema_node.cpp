#include "config/schema_node.hpp"

#include <regex>

namespace cardsync::config {

using rapidjson::Value;

std::string_view as_view(const Value& string) {
  return {string.GetString(), string.GetStringLength()};
}

const Value* member_of(const Value& node, std::string_view name) {
  if (!node.IsObject()) return nullptr;
  auto it = node.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  return it == node.MemberEnd() ? nullptr : &it->value;
}

bool has_object_keywords(const Value& node) {
  return member_of(node, "properties") != nullptr ||
         member_of(node, "patternProperties") != nullptr ||
         member_of(node, "additionalProperties") != nullptr ||
         member_of(node, "required") != nullptr;
}

const Value* items_schema(const Value& node) {
  const Value* items = member_of(node, "items");
  return items != nullptr && items->IsObject() ? items : nullptr;
}

bool is_structural(const Value& node) {
  return has_object_keywords(node) || items_schema(node) != nullptr;
}

bool pattern_matches(std::string_view pattern, std::string_view key) {
  try {
    const std::regex re(pattern.begin(), pattern.end(), std::regex::ECMAScript);
    return std::regex_search(key.begin(), key.end(), re);
  } catch (const std::regex_error&) {
    return false;  // RapidJSON ignores patterns it cannot compile; so do we
  }
}

std::vector<std::string> type_set(const Value& schema) {
  std::vector<std::string> out;
  const Value* type = member_of(schema, "type");
  if (type == nullptr) return out;
  if (type->IsString()) out.emplace_back(as_view(*type));
  if (type->IsArray()) {
    for (const auto& t : type->GetArray()) {
      if (t.IsString()) out.emplace_back(as_view(t));
    }
  }
  return out;
}

}  // namespace cardsync::config
