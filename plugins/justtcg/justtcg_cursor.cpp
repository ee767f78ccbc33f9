#include "justtcg_cursor.hpp"

#include <cardsync/core_json.hpp>
#include <cardsync/json_body.hpp>
#include <cardsync/json_fields.hpp>

namespace cardsync::justtcg {
namespace {

// A member that must be a non-negative integer when present.
bool read(const rapidjson::Value& obj, const char* key, std::optional<std::int64_t>& out) {
  const rapidjson::Value* v = sdk::member(obj, key);
  if (v == nullptr) return true;
  if (!v->IsInt64() || v->GetInt64() < 0) return false;
  out = v->GetInt64();
  return true;
}

}  // namespace

std::optional<PassCursor> PassCursor::parse(std::string_view json) {
  PassCursor c;
  const auto doc = sdk::parse_object(json);
  if (!doc || !read(*doc, "offset", c.offset) || !read(*doc, "updated_after", c.updated_after) ||
      !read(*doc, "high_water", c.high_water)) {
    return std::nullopt;
  }
  return c;
}

std::string PassCursor::to_json() const {
  return sdk::JsonObject()
      .integer_if("offset", offset)
      .integer_if("updated_after", updated_after)
      .integer_if("high_water", high_water)
      .str();
}

}  // namespace cardsync::justtcg
