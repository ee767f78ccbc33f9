#include "admin/lookup_reply.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cardsync::admin {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string error_json(std::string_view code, std::string_view message,
                       std::string_view request_id) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("code");
  str(w, code);
  w.Key("message");
  str(w, message);
  w.Key("request_id");
  str(w, request_id);
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace

LookupReply lookup_reply(const std::variant<lookup::LookupAnswer, lookup::LookupRefusal>& result,
                         std::string_view request_id) {
  if (const auto* refusal = std::get_if<lookup::LookupRefusal>(&result)) {
    const char* code = refusal->why == lookup::LookupRefusal::Why::no_such_kind ? "no_such_lookup"
                       : refusal->why == lookup::LookupRefusal::Why::no_lookups
                           ? "no_lookups"
                           : "no_such_provider";
    return {404, error_json(code, refusal->message, request_id)};
  }
  const auto& answer = std::get<lookup::LookupAnswer>(result);
  LookupReply reply;
  std::string code;
  switch (answer.status) {
    case lookup::LookupStatus::fresh:
    case lookup::LookupStatus::stale:
    case lookup::LookupStatus::not_found:
      reply.status = 200;
      break;
    case lookup::LookupStatus::queued:
      reply.status = 202;
      break;
    case lookup::LookupStatus::invalid:
      reply.status = 400;
      code = "invalid_key";
      break;
    case lookup::LookupStatus::unavailable:
      reply.status = 503;
      code = "unavailable";
      break;
  }
  reply.json = answer.to_json();
  if (code.empty()) return reply;
  rapidjson::Document doc;
  doc.Parse(reply.json.data(), reply.json.size());
  if (doc.HasParseError() || !doc.IsObject()) return reply;
  rapidjson::Document error;
  const std::string e = error_json(code, answer.message, request_id);
  error.Parse(e.data(), e.size());
  doc.AddMember("error", rapidjson::Value(error["error"], doc.GetAllocator()), doc.GetAllocator());
  rapidjson::StringBuffer buf;
  Writer w(buf);
  doc.Accept(w);
  reply.json.assign(buf.GetString(), buf.GetSize());
  return reply;
}

std::string lookup_catalog_json(const std::vector<lookup::LookupService::ProviderLookupInfo>& all) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("providers");
  w.StartArray();
  for (const auto& p : all) {
    w.StartObject();
    w.Key("provider");
    str(w, p.provider);
    w.Key("lookups");
    w.StartArray();
    for (const auto& k : p.kinds) {
      w.StartObject();
      w.Key("kind");
      str(w, k.name);
      w.Key("description");
      str(w, k.description);
      w.Key("key_example");
      str(w, k.key_example);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::admin
