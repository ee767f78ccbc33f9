#include "job_cursor.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cardsync::rest {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void string_member(Writer& w, const char* key, const std::optional<std::string>& v) {
  if (!v) return;
  w.Key(key);
  w.String(v->data(), static_cast<rapidjson::SizeType>(v->size()));
}

void int_member(Writer& w, const char* key, const std::optional<std::int64_t>& v) {
  if (!v) return;
  w.Key(key);
  w.Int64(*v);
}

std::optional<std::string> string_at(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<std::int64_t> int_at(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsInt64()) return std::nullopt;
  return it->value.GetInt64();
}

}  // namespace

std::string JobCursor::to_json() const {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  if (next) {
    w.Key("next");
    w.StartObject();
    int_member(w, "page", next->number);
    int_member(w, "offset", next->offset);
    string_member(w, "token", next->token);
    string_member(w, "url", next->url);
    w.EndObject();
  }
  string_member(w, "since", since);
  string_member(w, "max", max);
  int_member(w, "run_time", run_time);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

JobCursor JobCursor::parse(std::string_view text, bool* readable) {
  JobCursor out;
  if (readable != nullptr) *readable = true;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    if (readable != nullptr) *readable = false;
    return out;
  }
  if (auto it = doc.FindMember("next"); it != doc.MemberEnd() && it->value.IsObject()) {
    PageState s;
    s.number = int_at(it->value, "page");
    s.offset = int_at(it->value, "offset");
    s.token = string_at(it->value, "token");
    s.url = string_at(it->value, "url");
    out.next = s;
  }
  out.since = string_at(doc, "since");
  out.max = string_at(doc, "max");
  out.run_time = int_at(doc, "run_time");
  return out;
}

}  // namespace cardsync::rest
