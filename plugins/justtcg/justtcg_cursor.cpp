#include "justtcg_cursor.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cardsync::justtcg {
namespace {

// A member that must be a non-negative integer when present.
bool read(const rapidjson::Value& obj, const char* key, std::optional<std::int64_t>& out) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return true;
  if (!it->value.IsInt64() || it->value.GetInt64() < 0) return false;
  out = it->value.GetInt64();
  return true;
}

}  // namespace

std::optional<PassCursor> PassCursor::parse(std::string_view json) {
  PassCursor c;
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return c;
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  if (!read(doc, "offset", c.offset) || !read(doc, "updated_after", c.updated_after) ||
      !read(doc, "high_water", c.high_water)) {
    return std::nullopt;
  }
  return c;
}

std::string PassCursor::to_json() const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  if (offset) {
    w.Key("offset");
    w.Int64(*offset);
  }
  if (updated_after) {
    w.Key("updated_after");
    w.Int64(*updated_after);
  }
  if (high_water) {
    w.Key("high_water");
    w.Int64(*high_water);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::justtcg
