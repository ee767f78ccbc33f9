// CompiledSchema::coerce: an environment variable is always text, so a value written as one
// ${...} takes the type the schema asks for at its place.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <rapidjson/pointer.h>

#include "config/compiled_schema.hpp"
#include "config/schema_node.hpp"

namespace cardsync::config {

namespace {

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

void CompiledSchema::coerce(rapidjson::Document& doc,
                            const std::vector<Substitution>& substitutions) const {
  for (const auto& s : substitutions) {
    if (!s.whole) continue;
    const rapidjson::Value* node = node_at(s.path);
    if (node == nullptr) continue;
    const auto types = type_set(*node);
    if (types.empty() || contains(types, "string")) continue;
    const rapidjson::Pointer pointer(s.path.c_str(), s.path.size());
    rapidjson::Value* value = pointer.IsValid() ? pointer.Get(doc) : nullptr;
    if (value == nullptr || !value->IsString()) continue;
    const std::string_view text = as_view(*value);
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (contains(types, "integer") || contains(types, "number")) {
      std::int64_t integer = 0;
      if (auto [end, ec] = std::from_chars(first, last, integer);
          ec == std::errc() && end == last && !text.empty()) {
        value->SetInt64(integer);
        continue;
      }
    }
    if (contains(types, "number")) {
      double number = 0;
      if (auto [end, ec] = std::from_chars(first, last, number);
          ec == std::errc() && end == last && !text.empty() && std::isfinite(number)) {
        value->SetDouble(number);
        continue;
      }
    }
    if (contains(types, "boolean") && (text == "true" || text == "false")) {
      value->SetBool(text == "true");
    }
  }
}

}  // namespace cardsync::config
