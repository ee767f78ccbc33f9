// The queue: counts by state and type, jobs page by page and one by one, retrying failed
// jobs (operator), and the failed jobs as a CSV download.
#include <rapidjson/document.h>

#include <algorithm>
#include <sstream>

#include "admin/job_states.hpp"
#include "admin/json_writer.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"
#include "queue/failed_jobs_csv.hpp"
#include "secrets/redaction.hpp"

namespace cardsync::admin {
namespace {

constexpr int64_t kMaxPage = 500;

void write_job(JsonWriter& w, const queue::StoredJob& j, bool detail) {
  w.StartObject();
  write_key(w, "id");
  w.Int64(j.id);
  write_key(w, "type");
  write_string(w, j.type);
  write_key(w, "key");
  write_string(w, j.key);
  write_key(w, "state");
  write_string(w, queue::to_string(j.state));
  write_key(w, "attempts");
  w.Int(j.attempts);
  write_key(w, "max_attempts");
  w.Int(j.max_attempts);
  write_key(w, "run_at");
  write_time_or_null(w, j.run_at_ms);
  write_key(w, "created_at");
  write_time_or_null(w, j.created_at_ms);
  write_key(w, "updated_at");
  write_time_or_null(w, j.updated_at_ms);
  write_key(w, "request_id");
  write_string(w, j.request_id);
  write_key(w, "last_error");
  if (j.errors.empty()) {
    w.Null();
  } else {
    const auto& e = j.errors.back();
    w.StartObject();
    write_key(w, "message");
    write_string(w, redact_text(e.message));
    write_key(w, "http_status");
    w.Int(e.http_status);
    write_key(w, "at");
    write_time_or_null(w, e.at_ms);
    w.EndObject();
  }
  if (detail) {
    write_key(w, "payload");
    write_string(w, j.payload);
    write_key(w, "cursor");
    write_string(w, j.cursor);
    write_key(w, "lease_owner");
    write_string(w, j.lease_owner);
    write_key(w, "lease_until");
    write_time_or_null(w, j.lease_until_ms);
    write_key(w, "errors");
    w.StartArray();
    for (const auto& e : j.errors) {
      w.StartObject();
      write_key(w, "attempt");
      w.Int(e.attempt);
      write_key(w, "at");
      write_time_or_null(w, e.at_ms);
      write_key(w, "http_status");
      w.Int(e.http_status);
      write_key(w, "message");
      write_string(w, redact_text(e.message));
      write_key(w, "request_id");
      write_string(w, e.request_id);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

std::string retry_body(const sdk::Storage::RetryFailedResult& r) {
  return R"({"requeued":)" + std::to_string(r.requeued) + R"(,"skipped":)" +
         std::to_string(r.skipped) + "}";
}

// The {id:int} parameter; the pattern admits only positive integers that fit.
int64_t job_id(const AdminCall& call) {
  return parse_int(call.path_params.get("id")).value_or(0);
}

Reply list_jobs(const RouteServices& s, AdminCall& call) {
  sdk::JobQuery q;
  if (auto state = call.query_param("state")) {
    const auto it = std::find_if(kJobStates.begin(), kJobStates.end(),
                                 [&](auto st) { return queue::to_string(st) == *state; });
    if (it == kJobStates.end()) {
      return error_reply(call, 400, "invalid_parameter",
                         "state must be one of queued, processing, done, failed");
    }
    q.state = static_cast<uint32_t>(*it);
  }
  std::string type(call.query_param("type").value_or(""));
  q.type = type;
  const auto after = parse_int(call.query_param("after_id").value_or("0"));
  const auto limit = parse_int(call.query_param("limit").value_or("50"));
  if (!after || *after < 0 || !limit || *limit < 1) {
    return error_reply(call, 400, "invalid_parameter",
                       "after_id must be an integer >= 0 and limit an integer >= 1");
  }
  q.after_id = *after;
  const int64_t page = std::min(*limit, kMaxPage);
  q.limit = page + 1;
  q.with_errors = true;
  auto jobs = s.ctx.storage.list_jobs(q);
  return json_reply(200, page_json(jobs, page, "jobs", "next_after_id",
                                   [](JsonWriter& w, const auto& j) { write_job(w, j, false); }));
}

Reply get_job(const RouteServices& s, AdminCall& call) {
  const int64_t id = job_id(call);
  const auto job = s.ctx.queue.find(id);
  if (!job) return error_reply(call, 404, "not_found", "there is no job #" + std::to_string(id));
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  write_job(w, *job, true);
  return json_reply(200, json_text(buf));
}

Reply retry_job(const RouteServices& s, AdminCall& call) {
  const int64_t id = job_id(call);
  const auto job = s.ctx.queue.find(id);
  if (!job) return error_reply(call, 404, "not_found", "there is no job #" + std::to_string(id));
  if (job->state != sdk::JobState::failed) {
    return error_reply(call, 409, "not_failed",
                       "job #" + std::to_string(id) + " is " +
                           std::string(queue::to_string(job->state)) +
                           "; only failed jobs can be retried");
  }
  const auto r = s.ctx.queue.retry_failed(id);
  s.ctx.logger.info("failed job retried through the admin API", call.request_id,
                    {{"job_id", id}, {"requeued", r.requeued}, {"by", call.subject}});
  if (r.requeued > 0 && s.ctx.on_new_jobs) s.ctx.on_new_jobs();
  return json_reply(200, retry_body(r));
}

Reply retry_failed(const RouteServices& s, AdminCall& call) {
  if (!call.json_content_type()) {
    return error_reply(call, 415, "unsupported_media_type", "send application/json");
  }
  std::string type;
  if (!call.req.body().empty()) {
    rapidjson::Document doc;
    doc.Parse(call.req.body().data(), call.req.body().size());
    if (doc.HasParseError() || !doc.IsObject()) {
      return error_reply(call, 422, "invalid_body", "the body must be a JSON object");
    }
    for (const auto& m : doc.GetObject()) {
      if (std::string_view(m.name.GetString()) != "type" || !m.value.IsString()) {
        return error_reply(call, 422, "invalid_body",
                           "the body may only hold \"type\": a job type string");
      }
      type.assign(m.value.GetString(), m.value.GetStringLength());
    }
  }
  const auto r = s.ctx.queue.retry_all_failed(type);
  s.ctx.logger.info(
      "failed jobs retried through the admin API", call.request_id,
      {{"type", type}, {"requeued", r.requeued}, {"skipped", r.skipped}, {"by", call.subject}});
  if (r.requeued > 0 && s.ctx.on_new_jobs) s.ctx.on_new_jobs();
  return json_reply(200, retry_body(r));
}

Reply failed_csv(const RouteServices& s, AdminCall& call) {
  std::ostringstream out;
  queue::write_failed_jobs_csv(out, s.ctx.queue.failed_jobs(call.query_param("type").value_or("")));
  return csv_reply(out.str(), "failed-jobs.csv");
}

}  // namespace

std::vector<Route> queue_routes(const RouteServices& s) {
  using boost::beast::http::verb;
  return {
      {verb::get, "/api/v1/queue/stats", Role::viewer,
       [s](AdminCall& /*call*/) { return json_reply(200, s.queue_stats.json()); }},
      {verb::get, "/api/v1/jobs", Role::viewer, [s](AdminCall& c) { return list_jobs(s, c); }},
      {verb::get, "/api/v1/jobs/failed.csv", Role::viewer,
       [s](AdminCall& c) { return failed_csv(s, c); }},
      {verb::post, "/api/v1/jobs/retry-failed", Role::operator_,
       [s](AdminCall& c) { return retry_failed(s, c); }},
      {verb::get, "/api/v1/jobs/{id:int}", Role::viewer,
       [s](AdminCall& c) { return get_job(s, c); }},
      {verb::post, "/api/v1/jobs/{id:int}/retry", Role::operator_,
       [s](AdminCall& c) { return retry_job(s, c); }},
  };
}

}  // namespace cardsync::admin
