#include "admin/lookup_reply.hpp"

#include <rapidjson/document.h>

#include "admin/json_writer.hpp"
#include "admin/replies.hpp"

namespace cardsync::admin {

LookupReply lookup_reply(const std::variant<lookup::LookupAnswer, lookup::LookupRefusal>& result,
                         std::string_view request_id) {
  if (const auto* refusal = std::get_if<lookup::LookupRefusal>(&result)) {
    const char* code = refusal->why == lookup::LookupRefusal::Why::no_such_kind ? "no_such_lookup"
                       : refusal->why == lookup::LookupRefusal::Why::no_lookups
                           ? "no_lookups"
                           : "no_such_provider";
    return {404, error_body(code, refusal->message, request_id)};
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
  const std::string e = error_body(code, answer.message, request_id);
  error.Parse(e.data(), e.size());
  doc.AddMember("error", rapidjson::Value(error["error"], doc.GetAllocator()), doc.GetAllocator());
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  doc.Accept(w);
  reply.json.assign(buf.GetString(), buf.GetSize());
  return reply;
}

std::string lookup_catalog_json(const std::vector<lookup::LookupService::ProviderLookupInfo>& all) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_key(w, "providers");
  w.StartArray();
  for (const auto& p : all) {
    w.StartObject();
    write_key(w, "provider");
    write_string(w, p.provider);
    write_key(w, "lookups");
    w.StartArray();
    for (const auto& k : p.kinds) {
      w.StartObject();
      write_key(w, "kind");
      write_string(w, k.name);
      write_key(w, "description");
      write_string(w, k.description);
      write_key(w, "key_example");
      write_string(w, k.key_example);
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
