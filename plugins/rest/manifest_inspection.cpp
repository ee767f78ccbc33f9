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
  // The host paces every source by a section's `daily_quota`: the manifest's figure becomes
  // that option's default, so a shop with a bigger plan raises it in its config.
  if (!props.HasMember("daily_quota") && manifest.IsObject()) {
    const auto rate = manifest.FindMember("rate_limit");
    if (rate != manifest.MemberEnd() && rate->value.IsObject()) {
      const auto quota = rate->value.FindMember("daily_quota");
      if (quota != rate->value.MemberEnd() && quota->value.IsInt64()) {
        rapidjson::Value q(rapidjson::kObjectType);
        q.AddMember("type", "integer", a);
        q.AddMember("minimum", 0, a);
        q.AddMember("default", quota->value.GetInt64(), a);
        q.AddMember("description",
                    "Requests the API allows per UTC day (default: the manifest's rate_limit); "
                    "once spent, this source's jobs wait until 00:00 UTC. 0: no daily limit.",
                    a);
        props.AddMember("daily_quota", q, a);
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
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::rest
