// POST /api/v1/syncs (operator): plans the named provider's sync with the given spec and
// enqueues its jobs, each carrying the request's id.
#include <rapidjson/document.h>

#include "admin/json_writer.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"

namespace cardsync::admin {
namespace {

Reply enqueue_sync(const RouteServices& s, AdminCall& call) {
  if (!call.json_content_type()) {
    return error_reply(call, 415, "unsupported_media_type", "send application/json");
  }
  rapidjson::Document doc;
  doc.Parse(call.req.body().data(), call.req.body().size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return error_reply(call, 422, "invalid_body",
                       "the body must be a JSON object {\"provider\": \"...\", \"spec\": {...}}");
  }
  std::string provider;
  std::string spec;
  for (const auto& m : doc.GetObject()) {
    const std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "provider" && m.value.IsString() && m.value.GetStringLength() > 0) {
      provider.assign(m.value.GetString(), m.value.GetStringLength());
    } else if (name == "spec" && m.value.IsObject()) {
      rapidjson::StringBuffer sb;
      JsonWriter sw(sb);
      m.value.Accept(sw);
      spec = json_text(sb);
    } else {
      return error_reply(call, 422, "invalid_body",
                         "unexpected or invalid member \"" + std::string(name) +
                             "\": expected \"provider\" (string) and optional \"spec\" "
                             "(object)");
    }
  }
  if (provider.empty()) {
    return error_reply(call, 422, "invalid_body", "\"provider\" is required");
  }
  if (!s.ctx.plan_sync) {
    return error_reply(call, 503, "unavailable", "this process runs no providers");
  }
  auto planned = s.ctx.plan_sync(provider, spec);
  if (!planned) {
    return error_reply(call, 422, "invalid_body",
                       "no provider named \"" + provider + "\" is configured");
  }
  if (!planned->ok) {
    return error_reply(call, 422, "invalid_body",
                       "provider \"" + provider + "\" refused the spec: " + planned->error);
  }
  for (auto& j : planned->jobs) j.request_id = call.request_id;
  const auto results = s.ctx.queue.enqueue(planned->jobs);
  s.ctx.logger.info("sync enqueued through the admin API", call.request_id,
                    {{"provider", provider},
                     {"jobs", static_cast<int64_t>(results.size())},
                     {"by", call.subject}});
  if (s.ctx.on_new_jobs) s.ctx.on_new_jobs();
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_key(w, "jobs");
  w.StartArray();
  for (size_t i = 0; i < results.size() && i < planned->jobs.size(); ++i) {
    w.StartObject();
    write_key(w, "id");
    w.Int64(results[i].id);
    write_key(w, "type");
    write_string(w, planned->jobs[i].type);
    write_key(w, "key");
    write_string(w, planned->jobs[i].key);
    write_key(w, "duplicate");
    w.Bool(results[i].duplicate);
    w.EndObject();
  }
  w.EndArray();
  write_key(w, "request_id");
  write_string(w, call.request_id);
  w.EndObject();
  return json_reply(202, json_text(buf));
}

}  // namespace

std::vector<Route> syncs_routes(const RouteServices& s) {
  return {
      {boost::beast::http::verb::post, "/api/v1/syncs", Role::operator_,
       [s](AdminCall& c) { return enqueue_sync(s, c); }},
  };
}

}  // namespace cardsync::admin
