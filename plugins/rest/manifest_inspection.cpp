#include "manifest_inspection.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "manifest_model.hpp"

namespace cardsync::rest {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void string(Writer& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

rapidjson::Document config_schema_of(const rapidjson::Value& manifest) {
  rapidjson::Document schema(rapidjson::kObjectType);
  auto& a = schema.GetAllocator();
  schema.AddMember("type", "object", a);
  rapidjson::Value props(rapidjson::kObjectType);
  if (manifest.IsObject()) {
    if (auto it = manifest.FindMember("config");
        it != manifest.MemberEnd() && it->value.IsObject()) {
      for (const auto& m : it->value.GetObject()) {
        props.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
      }
    }
  }
  rapidjson::Value base(rapidjson::kObjectType);
  base.AddMember("type", "string", a);
  base.AddMember("pattern", "^https?://", a);
  if (manifest.IsObject()) {
    if (auto it = manifest.FindMember("base_url");
        it != manifest.MemberEnd() && it->value.IsString()) {
      base.AddMember("default", rapidjson::Value(it->value, a), a);
    }
  }
  base.AddMember("description",
                 "API root every request goes to (default: the manifest's base_url); requests "
                 "are confined to it. Point it at the sandbox for tests.",
                 a);
  props.AddMember("base_url", base, a);
  schema.AddMember("properties", props, a);
  schema.AddMember("additionalProperties", false, a);
  return schema;
}

std::string inspect_manifest(const rapidjson::Value& manifest) {
  Problems problems;
  const std::unique_ptr<Manifest> m = Manifest::parse(manifest, problems);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("problems");
  w.StartArray();
  for (const auto& p : problems.list()) {
    w.StartObject();
    w.Key("pointer");
    string(w, p.pointer);
    w.Key("message");
    string(w, p.message);
    if (!p.found.empty()) {
      w.Key("found");
      string(w, p.found);
      w.Key("candidates");
      w.StartArray();
      for (const auto& c : p.candidates) string(w, c);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("config_schema");
  config_schema_of(manifest).Accept(w);
  w.Key("pacing");
  w.StartObject();
  if (m->rate.per_minute) {
    w.Key("requests_per_minute");
    w.Double(*m->rate.per_minute);
  }
  if (m->rate.daily_quota) {
    w.Key("daily_quota");
    w.Int64(*m->rate.daily_quota);
  }
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::rest
