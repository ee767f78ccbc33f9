#include "admin/admin_api.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <boost/beast/http/verb.hpp>
#include <charconv>
#include <deque>
#include <map>
#include <sstream>

#include "admin/asset_table.hpp"
#include "admin/event_stream.hpp"
#include "log/request_id.hpp"
#include "queue/failed_jobs_csv.hpp"
#include "queue/quarantine_csv.hpp"
#include "secrets/redaction.hpp"

namespace cardsync::embedded {
extern const std::string_view admin_openapi_json;
}

namespace cardsync::admin {
namespace {

namespace http = boost::beast::http;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::array<sdk::JobState, 4> kStates = {sdk::JobState::queued, sdk::JobState::processing,
                                                  sdk::JobState::done, sdk::JobState::failed};
constexpr std::string_view kKindNames[] = {"unknown", "game",        "set",       "card",
                                           "variant", "graded_cert", "cert_image"};
constexpr int64_t kMaxPage = 500;

void key(Writer& w, std::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}
void str(Writer& w, std::string_view v) {
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}
void time_or_null(Writer& w, int64_t ms) {
  if (ms > 0) {
    w.String(queue::iso8601_utc(ms));
  } else {
    w.Null();
  }
}

std::string done(rapidjson::StringBuffer& buf) {
  return {buf.GetString(), buf.GetSize()};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded value; nullopt on a broken escape.
std::optional<std::string> url_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::string_view level_name(cs_log_level level) {
  static constexpr std::string_view kNames[] = {"trace", "debug", "info", "warn", "error"};
  const auto i = static_cast<size_t>(level);
  return i < std::size(kNames) ? kNames[i] : "info";
}

std::string prometheus_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void write_quarantined(Writer& w, const queue::StoredQuarantine& i) {
  w.StartObject();
  key(w, "id");
  w.Int64(i.id);
  key(w, "at");
  time_or_null(w, i.at_ms);
  key(w, "source");
  str(w, i.source);
  key(w, "job_type");
  str(w, i.job_type);
  key(w, "job_key");
  str(w, i.job_key);
  key(w, "reason");
  str(w, i.reason);
  key(w, "json_path");
  str(w, i.json_path);
  key(w, "raw_item");
  str(w, i.raw_item);
  key(w, "request_id");
  str(w, i.request_id);
  w.EndObject();
}

void write_job(Writer& w, const queue::StoredJob& j, bool detail) {
  w.StartObject();
  key(w, "id");
  w.Int64(j.id);
  key(w, "type");
  str(w, j.type);
  key(w, "key");
  str(w, j.key);
  key(w, "state");
  str(w, queue::to_string(j.state));
  key(w, "attempts");
  w.Int(j.attempts);
  key(w, "max_attempts");
  w.Int(j.max_attempts);
  key(w, "run_at");
  time_or_null(w, j.run_at_ms);
  key(w, "created_at");
  time_or_null(w, j.created_at_ms);
  key(w, "updated_at");
  time_or_null(w, j.updated_at_ms);
  key(w, "request_id");
  str(w, j.request_id);
  key(w, "last_error");
  if (j.errors.empty()) {
    w.Null();
  } else {
    const auto& e = j.errors.back();
    w.StartObject();
    key(w, "message");
    str(w, redact_text(e.message));
    key(w, "http_status");
    w.Int(e.http_status);
    key(w, "at");
    time_or_null(w, e.at_ms);
    w.EndObject();
  }
  if (detail) {
    key(w, "payload");
    str(w, j.payload);
    key(w, "cursor");
    str(w, j.cursor);
    key(w, "lease_owner");
    str(w, j.lease_owner);
    key(w, "lease_until");
    time_or_null(w, j.lease_until_ms);
    key(w, "errors");
    w.StartArray();
    for (const auto& e : j.errors) {
      w.StartObject();
      key(w, "attempt");
      w.Int(e.attempt);
      key(w, "at");
      time_or_null(w, e.at_ms);
      key(w, "http_status");
      w.Int(e.http_status);
      key(w, "message");
      str(w, redact_text(e.message));
      key(w, "request_id");
      str(w, e.request_id);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

// Request bodies are JSON objects; an empty body has no type to check.
bool json_content_type(const HttpRequest& req) {
  const auto ct = to_std(req[http::field::content_type]);
  return req.body().empty() || ct.empty() || ct.starts_with("application/json");
}

}  // namespace

struct AdminApi::Call {
  const HttpRequest& req;
  std::string request_id;
  std::string origin;
  std::string path;
  std::map<std::string, std::string, std::less<>> query;
  bool bad_query = false;
  Role role = Role::none;
  std::string subject;

  std::optional<std::string_view> param(std::string_view name) const {
    auto it = query.find(name);
    if (it == query.end() || it->second.empty()) return std::nullopt;
    return std::string_view(it->second);
  }
};

AdminApi::AdminApi(const AdminOptions& options, AdminContext context)
    : options_(options),
      ctx_(std::move(context)),
      cors_(options.allowed_origins),
      verifier_(options.auth, ctx_.clock) {}

// --- plumbing --------------------------------------------------------------------------

namespace {

Reply make_reply(unsigned status, std::string body, std::string_view content_type) {
  Reply r;
  r.response.result(status);
  r.response.version(11);
  r.response.set(http::field::content_type, to_beast(content_type));
  r.response.body() = std::move(body);
  return r;
}

std::string error_body(std::string_view code, std::string_view message,
                       std::string_view request_id) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key(w, "error");
  w.StartObject();
  key(w, "code");
  str(w, code);
  key(w, "message");
  str(w, message);
  key(w, "request_id");
  str(w, request_id);
  w.EndObject();
  w.EndObject();
  return done(buf);
}

Reply json(unsigned status, std::string body) {
  return make_reply(status, std::move(body), "application/json");
}

// A download: not cached anywhere, saved under `filename`.
Reply csv(std::string body, std::string_view filename) {
  Reply r = make_reply(200, std::move(body), "text/csv; charset=utf-8");
  r.response.set(http::field::content_disposition,
                 "attachment; filename=\"" + std::string(filename) + "\"");
  r.response.set(http::field::cache_control, "no-store");
  return r;
}

// One page of a list read with one row more than `page` (which says whether there is more):
// {"<list>": [rows], "<next>": the last row's id to page on from, or null at the end}.
template <class Row, class WriteRow>
std::string page_json(std::vector<Row>& rows, int64_t page, std::string_view list,
                      std::string_view next, WriteRow write_row) {
  const bool more = static_cast<int64_t>(rows.size()) > page;
  if (more) rows.pop_back();
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key(w, list);
  w.StartArray();
  for (const Row& row : rows) write_row(w, row);
  w.EndArray();
  key(w, next);
  if (more && !rows.empty()) {
    w.Int64(rows.back().id);
  } else {
    w.Null();
  }
  w.EndObject();
  return done(buf);
}

}  // namespace

#define CARDSYNC_ERROR(call, status, code, message) \
  json(status, error_body(code, message, (call).request_id))

Reply AdminApi::handle(const HttpRequest& req) noexcept {
  const auto started = ctx_.clock.now();
  std::string request_id;
  try {
    Call call{req, {}, {}, {}, {}, false, Role::none, {}};
    const auto given = to_std(req["X-Request-Id"]);
    call.request_id = log::is_valid_request_id(given) ? std::string(given) : log::new_request_id();
    request_id = call.request_id;
    call.origin = std::string(to_std(req[http::field::origin]));
    const std::string_view target(req.target().data(), req.target().size());
    const auto q = target.find('?');
    call.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) {
      std::string_view rest = target.substr(q + 1);
      while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto k = url_decode(pair.substr(0, eq));
        auto v =
            url_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        if (!k || !v) {
          call.bad_query = true;
          break;
        }
        call.query.insert_or_assign(std::move(*k), std::move(*v));
      }
    }
    Reply reply = route(call);
    auto& res = reply.response;
    res.set("X-Request-Id", to_beast(call.request_id));
    res.set("X-Content-Type-Options", "nosniff");
    if (!res.has_content_length() && res.find(http::field::cache_control) == res.end()) {
      res.set(http::field::cache_control, "no-store");
    }
    if (req.method() == http::verb::options) {
      cors_.apply_preflight(call.origin, res.base());
    } else {
      cors_.apply(call.origin, res.base());
    }
    if (ctx_.logger.enabled(log::Level::debug)) {
      ctx_.logger.debug(
          "admin request", call.request_id,
          {{"method", to_std(req.method_string())},
           {"path", call.path},
           {"status", static_cast<int>(res.result_int())},
           {"ms", std::chrono::duration<double, std::milli>(ctx_.clock.now() - started).count()}});
    }
    if (ctx_.run_stats != nullptr) {
      ctx_.run_stats->http_requests.add("admin", static_cast<int>(res.result_int()));
    }
    return reply;
  } catch (const std::exception& e) {
    if (request_id.empty()) request_id = log::new_request_id();
    ctx_.logger.error("admin request failed", request_id, {{"error", e.what()}});
    Reply r = json(
        500, error_body("internal", "internal error; see the log for this request id", request_id));
    r.response.set("X-Request-Id", to_beast(request_id));
    r.response.set(http::field::vary, "Origin");
    return r;
  }
}

HttpResponse AdminApi::refuse(const HttpRequest& head, unsigned status, std::string_view code,
                              std::string_view message) noexcept {
  const auto given = to_std(head["X-Request-Id"]);
  const std::string request_id =
      log::is_valid_request_id(given) ? std::string(given) : log::new_request_id();
  Reply r = json(status, error_body(code, message, request_id));
  r.response.set("X-Request-Id", to_beast(request_id));
  r.response.set(http::field::cache_control, "no-store");
  cors_.apply(to_std(head[http::field::origin]), r.response.base());
  if (ctx_.run_stats != nullptr)
    ctx_.run_stats->http_requests.add("admin", static_cast<int>(status));
  return std::move(r.response);
}

Reply AdminApi::route(Call& call) {
  const auto method = call.req.method();
  const std::string_view path = call.path;
  if (path.starts_with("/api/v1/") || path == "/api/v1") return api(call);
  const bool get = method == http::verb::get || method == http::verb::head;
  auto only_get = [&](auto fn) -> Reply {
    if (!get) {
      Reply r = CARDSYNC_ERROR(call, 405, "method_not_allowed", "use GET");
      r.response.set(http::field::allow, "GET, HEAD");
      return r;
    }
    return fn();
  };
  if (path == "/healthz") return only_get([&] { return healthz(call); });
  if (path == "/readyz") return only_get([&] { return readyz(call); });
  if (path == "/metrics") return only_get([&] { return metrics(call); });
  if (find_asset(path)) return only_get([&] { return asset(call); });
  return CARDSYNC_ERROR(call, 404, "not_found", "no such resource");
}

Reply AdminApi::api(Call& call) {
  const auto method = call.req.method();
  if (method == http::verb::options) {
    if (!cors_.allowed(call.origin)) {
      return CARDSYNC_ERROR(call, 403, "origin_not_allowed",
                            "this origin is not in admin.allowed_origins");
    }
    Reply r = make_reply(204, {}, "text/plain");
    return r;
  }
  if (options_.auth.enabled) {
    const auto header = to_std(call.req[http::field::authorization]);
    std::string_view token;
    if (header.size() > 7 &&
        (header.substr(0, 7) == "Bearer " || header.substr(0, 7) == "bearer ")) {
      token = std::string_view(header.data() + 7, header.size() - 7);
    }
    if (token.empty()) {
      Reply r = CARDSYNC_ERROR(call, 401, "unauthorized",
                               "this API needs an Authorization: Bearer <JWT> header");
      r.response.set(http::field::www_authenticate, "Bearer");
      return r;
    }
    const TokenCheck check = verifier_.verify(token);
    if (!check.ok) {
      Reply r = CARDSYNC_ERROR(call, 401, "unauthorized", check.problem);
      r.response.set(http::field::www_authenticate, "Bearer error=\"invalid_token\"");
      return r;
    }
    call.role = check.role;
    call.subject = check.subject;
  } else {
    call.role = Role::operator_;
  }
  if (call.bad_query) {
    return CARDSYNC_ERROR(call, 400, "invalid_parameter", "malformed query string");
  }

  const std::string_view p = std::string_view(call.path).substr(7);  // after "/api/v1"
  auto endpoint = [&](http::verb allowed, bool needs_operator, auto fn) -> Reply {
    if (method != allowed && !(allowed == http::verb::get && method == http::verb::head)) {
      Reply r = CARDSYNC_ERROR(call, 405, "method_not_allowed",
                               "use " + std::string(to_std(http::to_string(allowed))));
      r.response.set(http::field::allow, http::to_string(allowed));
      return r;
    }
    if (needs_operator && call.role != Role::operator_) {
      return CARDSYNC_ERROR(call, 403, "forbidden", "this needs the operator role");
    }
    return fn();
  };
  using V = http::verb;
  if (p == "/queue/stats") return endpoint(V::get, false, [&] { return queue_stats(call); });
  if (p == "/jobs") return endpoint(V::get, false, [&] { return list_jobs(call); });
  if (p == "/jobs/failed.csv") return endpoint(V::get, false, [&] { return failed_csv(call); });
  if (p == "/jobs/retry-failed") return endpoint(V::post, true, [&] { return retry_failed(call); });
  if (p.starts_with("/jobs/")) {
    std::string_view rest = p.substr(6);
    bool retry = false;
    if (rest.ends_with("/retry")) {
      rest.remove_suffix(6);
      retry = true;
    }
    const auto id = parse_int(rest);
    if (id && *id > 0 && !rest.empty() && rest.front() != '+' && rest.front() != '-') {
      if (retry) return endpoint(V::post, true, [&] { return retry_job(call, *id); });
      return endpoint(V::get, false, [&] { return get_job(call, *id); });
    }
    return CARDSYNC_ERROR(call, 404, "not_found", "no such resource");
  }
  if (p == "/quarantine") return endpoint(V::get, false, [&] { return quarantine(call); });
  if (p == "/quarantine.csv") return endpoint(V::get, false, [&] { return quarantine_csv(call); });
  if (p == "/logs") return endpoint(V::get, false, [&] { return logs(call); });
  if (p == "/breakers") return endpoint(V::get, false, [&] { return breakers(call); });
  if (p == "/syncs") return endpoint(V::post, true, [&] { return enqueue_sync(call); });
  if (p.starts_with("/psa/certs/") && p.size() > 11 && p.find('/', 11) == std::string_view::npos) {
    return endpoint(V::get, false, [&] { return cert(call, p.substr(11)); });
  }
  if (p == "/stats/records-per-minute") {
    return endpoint(V::get, false, [&] { return records_per_minute(call); });
  }
  if (p == "/events") return endpoint(V::get, false, [&] { return events(call); });
  if (p == "/openapi.json") return endpoint(V::get, false, [&] { return openapi(call); });
  return CARDSYNC_ERROR(call, 404, "not_found", "no such resource");
}

// --- unauthenticated --------------------------------------------------------------------

Reply AdminApi::healthz(Call& /*call*/) {
  return json(200, R"({"status":"ok"})");
}

Reply AdminApi::readyz(Call& /*call*/) {
  std::string storage = "ok";
  bool ready = true;
  try {
    (void)ctx_.storage.stats();
  } catch (const std::exception& e) {
    ready = false;
    storage = std::string("error: ") + redact_text(e.what());
  }
  const int plugins = ctx_.plugins_loaded ? ctx_.plugins_loaded() : 0;
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key(w, "status");
  str(w, ready ? "ready" : "not_ready");
  key(w, "storage");
  str(w, storage);
  key(w, "plugins");
  w.Int(plugins);
  w.EndObject();
  return json(ready ? 200 : 503, done(buf));
}

Reply AdminApi::metrics(Call& call) {
  if (options_.metrics_require_auth && options_.auth.enabled) {
    const auto header = to_std(call.req[http::field::authorization]);
    const bool bearer = header.size() > 7 && header.substr(0, 7) == "Bearer ";
    if (!bearer || !verifier_.verify(std::string_view(header.data() + 7, header.size() - 7)).ok) {
      Reply r = CARDSYNC_ERROR(call, 401, "unauthorized", "/metrics needs a bearer token");
      r.response.set(http::field::www_authenticate, "Bearer");
      return r;
    }
  }
  return make_reply(200, metrics_text(), "text/plain; version=0.0.4; charset=utf-8");
}

Reply AdminApi::asset(Call& call) {
  const auto a = find_asset(call.path);
  if (!a) return CARDSYNC_ERROR(call, 404, "not_found", "no such resource");
  Reply r = make_reply(200, std::string(a->content), a->content_type);
  r.response.set(http::field::cache_control, "no-cache");
  if (a->name.ends_with(".html")) {
    // The page has no inline script, style or handler (its browser test enforces this
    // policy), so nothing beyond 'self' is allowed.
    r.response.set("Content-Security-Policy",
                   "default-src 'self'; base-uri 'none'; form-action 'self'; "
                   "frame-ancestors 'none'; object-src 'none'");
    r.response.set("X-Frame-Options", "DENY");
    r.response.set("Referrer-Policy", "no-referrer");
  }
  return r;
}

// --- queue ------------------------------------------------------------------------------

std::string AdminApi::queue_stats_json() {
  constexpr auto kFreshFor = std::chrono::seconds(1);
  std::lock_guard lock(stats_mu_);
  const auto now = ctx_.clock.now();
  if (stats_cache_.empty() || now - stats_at_ >= kFreshFor) {
    stats_cache_ = compute_queue_stats();
    stats_at_ = now;
  }
  return stats_cache_;
}

std::string AdminApi::compute_queue_stats() {
  struct Row {
    std::array<int64_t, 4> counts{};
    int64_t next_run_at_ms = 0;
  };
  std::map<std::string, Row> by_type;
  std::array<int64_t, 4> totals{};
  const int64_t now = ctx_.queue.now_ms();
  int64_t oldest_due = 0;
  for (const auto& s : ctx_.queue.stats()) {
    const auto col =
        static_cast<size_t>(std::find(kStates.begin(), kStates.end(), s.state) - kStates.begin());
    if (col == kStates.size()) continue;
    Row& row = by_type[s.type];
    row.counts[col] += s.count;
    totals[col] += s.count;
    if (s.state == sdk::JobState::queued && s.count > 0 && s.next_run_at_ms > 0) {
      if (row.next_run_at_ms == 0 || s.next_run_at_ms < row.next_run_at_ms) {
        row.next_run_at_ms = s.next_run_at_ms;
      }
      if (s.next_run_at_ms <= now && (oldest_due == 0 || s.next_run_at_ms < oldest_due)) {
        oldest_due = s.next_run_at_ms;
      }
    }
  }
  rapidjson::StringBuffer buf;
  Writer w(buf);
  auto counts = [&](const std::array<int64_t, 4>& c) {
    for (size_t i = 0; i < kStates.size(); ++i) {
      key(w, queue::to_string(kStates[i]));
      w.Int64(c[i]);
    }
  };
  w.StartObject();
  key(w, "totals");
  w.StartObject();
  counts(totals);
  w.EndObject();
  key(w, "by_type");
  w.StartArray();
  for (const auto& [type, row] : by_type) {
    w.StartObject();
    key(w, "type");
    str(w, type);
    counts(row.counts);
    key(w, "next_run_at");
    time_or_null(w, row.counts[0] > 0 ? row.next_run_at_ms : 0);
    w.EndObject();
  }
  w.EndArray();
  key(w, "lag_seconds");
  w.Double(oldest_due > 0 ? static_cast<double>(now - oldest_due) / 1000.0 : 0.0);
  w.EndObject();
  return done(buf);
}

Reply AdminApi::queue_stats(Call& /*call*/) {
  return json(200, queue_stats_json());
}

Reply AdminApi::list_jobs(Call& call) {
  sdk::JobQuery q;
  if (auto state = call.param("state")) {
    const auto it = std::find_if(kStates.begin(), kStates.end(),
                                 [&](auto s) { return queue::to_string(s) == *state; });
    if (it == kStates.end()) {
      return CARDSYNC_ERROR(call, 400, "invalid_parameter",
                            "state must be one of queued, processing, done, failed");
    }
    q.state = static_cast<uint32_t>(*it);
  }
  std::string type(call.param("type").value_or(""));
  q.type = type;
  const auto after = parse_int(call.param("after_id").value_or("0"));
  const auto limit = parse_int(call.param("limit").value_or("50"));
  if (!after || *after < 0 || !limit || *limit < 1) {
    return CARDSYNC_ERROR(call, 400, "invalid_parameter",
                          "after_id must be an integer >= 0 and limit an integer >= 1");
  }
  q.after_id = *after;
  const int64_t page = std::min(*limit, kMaxPage);
  q.limit = page + 1;
  q.with_errors = true;
  auto jobs = ctx_.storage.list_jobs(q);
  return json(200, page_json(jobs, page, "jobs", "next_after_id",
                             [](Writer& w, const auto& j) { write_job(w, j, false); }));
}

Reply AdminApi::get_job(Call& call, int64_t id) {
  const auto job = ctx_.queue.find(id);
  if (!job) return CARDSYNC_ERROR(call, 404, "not_found", "there is no job #" + std::to_string(id));
  rapidjson::StringBuffer buf;
  Writer w(buf);
  write_job(w, *job, true);
  return json(200, done(buf));
}

namespace {
std::string retry_body(const sdk::Storage::RetryFailedResult& r) {
  return R"({"requeued":)" + std::to_string(r.requeued) + R"(,"skipped":)" +
         std::to_string(r.skipped) + "}";
}
}  // namespace

Reply AdminApi::retry_job(Call& call, int64_t id) {
  const auto job = ctx_.queue.find(id);
  if (!job) return CARDSYNC_ERROR(call, 404, "not_found", "there is no job #" + std::to_string(id));
  if (job->state != sdk::JobState::failed) {
    return CARDSYNC_ERROR(call, 409, "not_failed",
                          "job #" + std::to_string(id) + " is " +
                              std::string(queue::to_string(job->state)) +
                              "; only failed jobs can be retried");
  }
  const auto r = ctx_.queue.retry_failed(id);
  ctx_.logger.info("failed job retried through the admin API", call.request_id,
                   {{"job_id", id}, {"requeued", r.requeued}, {"by", call.subject}});
  if (r.requeued > 0 && ctx_.on_new_jobs) ctx_.on_new_jobs();
  return json(200, retry_body(r));
}

Reply AdminApi::retry_failed(Call& call) {
  if (!json_content_type(call.req)) {
    return CARDSYNC_ERROR(call, 415, "unsupported_media_type", "send application/json");
  }
  std::string type;
  if (!call.req.body().empty()) {
    rapidjson::Document doc;
    doc.Parse(call.req.body().data(), call.req.body().size());
    if (doc.HasParseError() || !doc.IsObject()) {
      return CARDSYNC_ERROR(call, 422, "invalid_body", "the body must be a JSON object");
    }
    for (const auto& m : doc.GetObject()) {
      if (std::string_view(m.name.GetString()) != "type" || !m.value.IsString()) {
        return CARDSYNC_ERROR(call, 422, "invalid_body",
                              "the body may only hold \"type\": a job type string");
      }
      type.assign(m.value.GetString(), m.value.GetStringLength());
    }
  }
  const auto r = ctx_.queue.retry_all_failed(type);
  ctx_.logger.info(
      "failed jobs retried through the admin API", call.request_id,
      {{"type", type}, {"requeued", r.requeued}, {"skipped", r.skipped}, {"by", call.subject}});
  if (r.requeued > 0 && ctx_.on_new_jobs) ctx_.on_new_jobs();
  return json(200, retry_body(r));
}

Reply AdminApi::failed_csv(Call& call) {
  std::ostringstream out;
  queue::write_failed_jobs_csv(out, ctx_.queue.failed_jobs(call.param("type").value_or("")));
  return csv(out.str(), "failed-jobs.csv");
}

// --- quarantine, logs -------------------------------------------------------------------

Reply AdminApi::quarantine(Call& call) {
  const auto limit = parse_int(call.param("limit").value_or("50"));
  const auto before = parse_int(call.param("before_id").value_or("0"));
  if (!limit || *limit < 1 || !before || *before < 0) {
    return CARDSYNC_ERROR(call, 400, "invalid_parameter",
                          "limit must be an integer >= 1 and before_id an integer >= 0");
  }
  const std::string source(call.param("source").value_or(""));
  const std::string job_type(call.param("job_type").value_or(""));
  sdk::QuarantineQuery q;
  q.newest_first = true;
  q.source = source;
  q.job_type = job_type;
  q.before_id = *before;
  const int64_t page = std::min(*limit, kMaxPage);
  q.limit = page + 1;
  auto items = ctx_.storage.query_quarantine(q);
  return json(200, page_json(items, page, "items", "next_before_id", write_quarantined));
}

Reply AdminApi::quarantine_csv(Call& call) {
  const std::string source(call.param("source").value_or(""));
  const std::string job_type(call.param("job_type").value_or(""));
  std::vector<queue::StoredQuarantine> all;
  sdk::QuarantineQuery q;
  q.source = source;
  q.job_type = job_type;
  q.limit = 1000;
  // Ascending in pages, so a large quarantine is read in bounded steps.
  for (;;) {
    auto page = ctx_.storage.query_quarantine(q);
    if (page.empty()) break;
    q.after_id = page.back().id;
    const bool last = static_cast<int64_t>(page.size()) < q.limit;
    all.insert(all.end(), std::make_move_iterator(page.begin()),
               std::make_move_iterator(page.end()));
    if (last || all.size() >= 1'000'000) break;
  }
  std::ostringstream out;
  queue::write_quarantine_csv(out, all);
  return csv(out.str(), "quarantine.csv");
}

Reply AdminApi::logs(Call& call) {
  sdk::LogQuery q;
  if (auto level = call.param("level")) {
    const auto parsed = log::parse_level(*level);
    if (!parsed) {
      return CARDSYNC_ERROR(call, 400, "invalid_parameter",
                            "level must be one of trace, debug, info, warn, error");
    }
    q.min_level = static_cast<cs_log_level>(static_cast<int>(*parsed));
  }
  const std::string request_id(call.param("request_id").value_or(""));
  q.request_id = request_id;
  const auto after = parse_int(call.param("after_id").value_or("0"));
  const auto limit = parse_int(call.param("limit").value_or("200"));
  std::optional<int64_t> job_id;
  if (auto j = call.param("job_id")) {
    job_id = parse_int(*j);
    if (!job_id || *job_id < 1) {
      return CARDSYNC_ERROR(call, 400, "invalid_parameter", "job_id must be an integer >= 1");
    }
  }
  if (!after || *after < 0 || !limit || *limit < 1) {
    return CARDSYNC_ERROR(call, 400, "invalid_parameter",
                          "after_id must be an integer >= 0 and limit an integer >= 1");
  }
  const auto page = static_cast<size_t>(std::min<int64_t>(*limit, 1000));
  // A job's lines carry its id as a field; the storage filters by level and request id, the
  // job filter is applied here.
  auto matches = [&](const queue::StoredLog& l) {
    if (!job_id) return true;
    rapidjson::Document f;
    f.Parse(l.fields_json.data(), l.fields_json.size());
    if (f.HasParseError() || !f.IsObject()) return false;
    auto it = f.FindMember("job_id");
    return it != f.MemberEnd() && it->value.IsInt64() && it->value.GetInt64() == *job_id;
  };
  std::deque<queue::StoredLog> out;
  constexpr int64_t kChunk = 1000;
  constexpr size_t kScanLimit = 200'000;
  size_t scanned = 0;
  q.after_id = *after;
  q.limit = kChunk;
  // With after_id: the next lines after it. Without: the newest `limit` lines, which means
  // reading forward from the start of retention (bounded by kScanLimit).
  const bool tail = *after == 0;
  for (;;) {
    auto chunk = ctx_.storage.query_logs(q);
    scanned += chunk.size();
    for (auto& l : chunk) {
      if (!matches(l)) continue;
      out.push_back(std::move(l));
      if (tail && out.size() > page) out.pop_front();
      if (!tail && out.size() >= page) break;
    }
    if ((!tail && out.size() >= page) || static_cast<int64_t>(chunk.size()) < kChunk ||
        scanned >= kScanLimit) {
      break;
    }
    q.after_id = chunk.back().id;
  }
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key(w, "logs");
  w.StartArray();
  for (const auto& l : out) {
    w.StartObject();
    key(w, "id");
    w.Int64(l.id);
    key(w, "ts");
    time_or_null(w, l.ts_ms);
    key(w, "level");
    str(w, level_name(l.level));
    key(w, "request_id");
    str(w, l.request_id);
    key(w, "msg");
    str(w, l.message);
    key(w, "fields");
    rapidjson::Document f;
    f.Parse(l.fields_json.data(), l.fields_json.size());
    if (!f.HasParseError() && f.IsObject()) {
      f.Accept(w);
    } else {
      w.StartObject();
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  key(w, "next_after_id");
  if (!out.empty()) {
    w.Int64(out.back().id);
  } else if (*after > 0) {
    w.Int64(*after);
  } else {
    w.Null();
  }
  w.EndObject();
  return json(200, done(buf));
}

// --- resilience -------------------------------------------------------------------------

Reply AdminApi::breakers(Call& /*call*/) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key(w, "services");
  w.StartArray();
  if (ctx_.client != nullptr) {
    const auto now = ctx_.clock.now();
    const auto wall = ctx_.clock.wall();
    for (const auto& service : ctx_.client->services()) {
      w.StartObject();
      key(w, "service");
      str(w, service);
      const CircuitBreaker* breaker = ctx_.client->breakers().find(service);
      const BreakerSnapshot snap = breaker != nullptr ? breaker->snapshot() : BreakerSnapshot{};
      key(w, "state");
      str(w, to_string(snap.state));
      key(w, "failure_rate");
      w.Double(snap.window_calls > 0 ? static_cast<double>(snap.window_failures) / snap.window_calls
                                     : 0.0);
      key(w, "window_calls");
      w.Int(snap.window_calls);
      key(w, "consecutive_failures");
      w.Int(snap.consecutive_failures);
      key(w, "open_remaining_seconds");
      w.Double(snap.state == BreakerState::open && snap.open_until > now
                   ? std::chrono::duration<double>(snap.open_until - now).count()
                   : 0.0);
      Pacer& pacer = ctx_.client->pacer(service);
      key(w, "pacing");
      w.StartObject();
      key(w, "requests_per_minute");
      w.Double(pacer.requests_per_minute());
      key(w, "configured_requests_per_minute");
      w.Double(pacer.options().requests_per_minute);
      key(w, "burst");
      w.Double(pacer.options().burst);
      w.EndObject();
      key(w, "quota");
      const auto remaining = pacer.daily_remaining();
      if (!remaining && pacer.options().daily_quota <= 0) {
        w.Null();
      } else {
        w.StartObject();
        key(w, "daily_limit");
        if (pacer.options().daily_quota > 0) {
          w.Int64(pacer.options().daily_quota);
        } else {
          w.Null();
        }
        key(w, "remaining");
        if (remaining) {
          w.Int64(*remaining);
        } else {
          w.Null();
        }
        key(w, "used");
        w.Int64(pacer.options().daily_quota > 0 && remaining
                    ? std::max<int64_t>(0, pacer.options().daily_quota - *remaining)
                    : 0);
        key(w, "resets_at");
        w.String(queue::iso8601_utc(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        DailyQuota::next_reset(wall).time_since_epoch())
                                        .count()));
        w.EndObject();
      }
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return json(200, done(buf));
}

// --- enqueue, cert lookup, stats --------------------------------------------------------

Reply AdminApi::enqueue_sync(Call& call) {
  if (!json_content_type(call.req)) {
    return CARDSYNC_ERROR(call, 415, "unsupported_media_type", "send application/json");
  }
  rapidjson::Document doc;
  doc.Parse(call.req.body().data(), call.req.body().size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return CARDSYNC_ERROR(
        call, 422, "invalid_body",
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
      Writer sw(sb);
      m.value.Accept(sw);
      spec = done(sb);
    } else {
      return CARDSYNC_ERROR(call, 422, "invalid_body",
                            "unexpected or invalid member \"" + std::string(name) +
                                "\": expected \"provider\" (string) and optional \"spec\" "
                                "(object)");
    }
  }
  if (provider.empty()) {
    return CARDSYNC_ERROR(call, 422, "invalid_body", "\"provider\" is required");
  }
  if (!ctx_.plan_sync) {
    return CARDSYNC_ERROR(call, 503, "unavailable", "this process runs no providers");
  }
  auto planned = ctx_.plan_sync(provider, spec);
  if (!planned) {
    return CARDSYNC_ERROR(call, 422, "invalid_body",
                          "no provider named \"" + provider + "\" is configured");
  }
  if (!planned->ok) {
    return CARDSYNC_ERROR(call, 422, "invalid_body",
                          "provider \"" + provider + "\" refused the spec: " + planned->error);
  }
  for (auto& j : planned->jobs) j.request_id = call.request_id;
  const auto results = ctx_.queue.enqueue(planned->jobs);
  ctx_.logger.info("sync enqueued through the admin API", call.request_id,
                   {{"provider", provider},
                    {"jobs", static_cast<int64_t>(results.size())},
                    {"by", call.subject}});
  if (ctx_.on_new_jobs) ctx_.on_new_jobs();
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key(w, "jobs");
  w.StartArray();
  for (size_t i = 0; i < results.size() && i < planned->jobs.size(); ++i) {
    w.StartObject();
    key(w, "id");
    w.Int64(results[i].id);
    key(w, "type");
    str(w, planned->jobs[i].type);
    key(w, "key");
    str(w, planned->jobs[i].key);
    key(w, "duplicate");
    w.Bool(results[i].duplicate);
    w.EndObject();
  }
  w.EndArray();
  key(w, "request_id");
  str(w, call.request_id);
  w.EndObject();
  return json(202, done(buf));
}

Reply AdminApi::cert(Call& call, std::string_view cert) {
  if (!ctx_.cert_lookup) {
    return CARDSYNC_ERROR(call, 503, "unavailable",
                          "cert lookups need the psa provider configured in this process");
  }
  const auto decoded = url_decode(cert);
  if (!decoded) return CARDSYNC_ERROR(call, 400, "invalid_parameter", "malformed cert number");
  CertReply answer = ctx_.cert_lookup(*decoded, call.request_id);
  return json(answer.status, std::move(answer.json));
}

Reply AdminApi::records_per_minute(Call& call) {
  const auto minutes = parse_int(call.param("minutes").value_or("60"));
  if (!minutes || *minutes < 1 || *minutes > RecordsPerMinute::kMinutes) {
    return CARDSYNC_ERROR(
        call, 400, "invalid_parameter",
        "minutes must be an integer from 1 to " + std::to_string(RecordsPerMinute::kMinutes));
  }
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key(w, "minutes");
  w.StartArray();
  if (ctx_.records_per_minute) {
    for (const auto& m :
         ctx_.records_per_minute->last(ctx_.clock.wall(), static_cast<int>(*minutes))) {
      w.StartObject();
      key(w, "at");
      w.String(queue::iso8601_utc(m.at_ms));
      key(w, "records");
      w.Int64(m.records);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return json(200, done(buf));
}

Reply AdminApi::events(Call& call) {
  log::Level level = log::Level::info;
  if (auto l = call.param("level")) {
    const auto parsed = log::parse_level(*l);
    if (!parsed) {
      return CARDSYNC_ERROR(call, 400, "invalid_parameter",
                            "level must be one of trace, debug, info, warn, error");
    }
    level = *parsed;
  }
  std::string request_id(call.param("request_id").value_or(""));
  std::shared_ptr<LogBroadcast::Subscription> sub;
  if (ctx_.log_broadcast) sub = ctx_.log_broadcast->subscribe(level, std::move(request_id));
  Reply r = make_reply(200, {}, "text/event-stream");
  r.response.set(http::field::cache_control, "no-store");
  r.response.set("X-Accel-Buffering", "no");
  r.stream = std::make_shared<AdminEventStream>(
      ctx_.clock, options_.events_interval, [this] { return queue_stats_json(); }, std::move(sub));
  return r;
}

Reply AdminApi::openapi(Call& /*call*/) {
  return json(200, std::string(embedded::admin_openapi_json));
}

// --- metrics ----------------------------------------------------------------------------

std::string AdminApi::metrics_text() {
  std::ostringstream out;
  out << "# HELP cardsync_jobs Jobs in the queue by type and state.\n"
         "# TYPE cardsync_jobs gauge\n";
  int64_t oldest_due = 0;
  const int64_t now = ctx_.queue.now_ms();
  bool storage_ok = true;
  try {
    for (const auto& s : ctx_.queue.stats()) {
      out << "cardsync_jobs{type=\"" << prometheus_label(s.type) << "\",state=\""
          << queue::to_string(s.state) << "\"} " << s.count << "\n";
      if (s.state == sdk::JobState::queued && s.count > 0 && s.next_run_at_ms > 0 &&
          s.next_run_at_ms <= now && (oldest_due == 0 || s.next_run_at_ms < oldest_due)) {
        oldest_due = s.next_run_at_ms;
      }
    }
  } catch (const std::exception&) {
    storage_ok = false;
  }
  out << "# HELP cardsync_storage_up Whether the last storage read of this scrape worked.\n"
         "# TYPE cardsync_storage_up gauge\ncardsync_storage_up "
      << (storage_ok ? 1 : 0) << "\n";
  out << "# HELP cardsync_queue_lag_seconds Age of the oldest due job still waiting.\n"
         "# TYPE cardsync_queue_lag_seconds gauge\ncardsync_queue_lag_seconds "
      << (oldest_due > 0 ? static_cast<double>(now - oldest_due) / 1000.0 : 0.0) << "\n";

  if (ctx_.sink_stats) {
    const auto st = ctx_.sink_stats();
    out << "# HELP cardsync_records_written_total Records committed by kind and outcome.\n"
           "# TYPE cardsync_records_written_total counter\n";
    for (int k = CS_RECORD_GAME; k <= CS_RECORD_CERT_IMAGE; ++k) {
      const std::pair<std::string_view, int64_t> outcomes[] = {
          {"inserted", st.counts.inserted[k]},
          {"updated", st.counts.updated[k]},
          {"unchanged", st.counts.unchanged[k]},
          {"rejected", st.counts.rejected[k]}};
      for (const auto& [outcome, n] : outcomes) {
        out << "cardsync_records_written_total{kind=\"" << kKindNames[k] << "\",outcome=\""
            << outcome << "\"} " << n << "\n";
      }
    }
    out << "# HELP cardsync_batch_flush_duration_seconds Time of each committed write batch.\n"
           "# TYPE cardsync_batch_flush_duration_seconds histogram\n";
    int64_t cumulative = 0;
    for (size_t i = 0; i < queue::BatchSink::Stats::kFlushBuckets.size(); ++i) {
      cumulative += st.flush_buckets[i];
      out << "cardsync_batch_flush_duration_seconds_bucket{le=\""
          << queue::BatchSink::Stats::kFlushBuckets[i] << "\"} " << cumulative << "\n";
    }
    cumulative += st.flush_buckets.back();
    out << "cardsync_batch_flush_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
        << "cardsync_batch_flush_duration_seconds_sum " << st.flush_seconds_sum << "\n"
        << "cardsync_batch_flush_duration_seconds_count " << cumulative << "\n";
    out << "# HELP cardsync_batch_failed_attempts_total Write batches the storage refused.\n"
           "# TYPE cardsync_batch_failed_attempts_total counter\n"
           "cardsync_batch_failed_attempts_total "
        << st.failed_attempts << "\n";
  }
  if (ctx_.run_stats != nullptr) {
    const auto& rs = *ctx_.run_stats;
    out << "# HELP cardsync_http_requests_total Upstream HTTP attempts by service and status "
           "(0: no response); service \"admin\" counts this server's responses.\n"
           "# TYPE cardsync_http_requests_total counter\n";
    for (const auto& e : rs.http_requests.snapshot()) {
      out << "cardsync_http_requests_total{service=\"" << prometheus_label(e.service)
          << "\",status=\"" << e.status << "\"} " << e.count << "\n";
    }
    const std::pair<std::string_view, int64_t> counters[] = {
        {"cardsync_http_retries_total", rs.retries.load()},
        {"cardsync_http_throttles_total", rs.throttles.load()},
        {"cardsync_breaker_opens_total", rs.breaker_opens.load()},
        {"cardsync_jobs_started_total", rs.jobs_started.load()},
        {"cardsync_jobs_completed_total", rs.jobs_completed.load()},
        {"cardsync_jobs_failed_total", rs.jobs_failed.load()},
        {"cardsync_jobs_retried_total", rs.jobs_retrying.load()},
        {"cardsync_jobs_snoozed_total", rs.jobs_snoozed.load()},
        {"cardsync_records_emitted_total", rs.records_emitted.load()},
        {"cardsync_quarantined_total", rs.quarantined.load()},
    };
    for (const auto& [name, n] : counters) {
      out << "# TYPE " << name << " counter\n" << name << " " << n << "\n";
    }
  }
  if (ctx_.client != nullptr) {
    out << "# HELP cardsync_breaker_state Circuit breaker state per service (0 closed, 1 open, "
           "2 half_open).\n# TYPE cardsync_breaker_state gauge\n";
    for (const auto& snap : ctx_.client->breakers().snapshot()) {
      out << "cardsync_breaker_state{service=\"" << prometheus_label(snap.service) << "\"} "
          << static_cast<int>(snap.state) << "\n";
    }
  }
  if (ctx_.log_drops) {
    out << "# HELP cardsync_log_dropped_total Log lines the storage sink dropped (buffer full).\n"
           "# TYPE cardsync_log_dropped_total counter\ncardsync_log_dropped_total "
        << ctx_.log_drops() << "\n";
  }
  return out.str();
}

}  // namespace cardsync::admin
