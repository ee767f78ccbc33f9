// Stored log lines, filtered by level, request id and job: the newest lines, or the lines
// after a cursor.
#include <rapidjson/document.h>

#include <algorithm>
#include <deque>

#include "admin/json_writer.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"
#include "log/level.hpp"

namespace cardsync::admin {
namespace {

std::string_view level_name(cs_log_level level) {
  static constexpr std::string_view kNames[] = {"trace", "debug", "info", "warn", "error"};
  const auto i = static_cast<size_t>(level);
  return i < std::size(kNames) ? kNames[i] : "info";
}

Reply logs(const RouteServices& s, AdminCall& call) {
  sdk::LogQuery q;
  if (auto level = call.query_param("level")) {
    const auto parsed = log::parse_level(*level);
    if (!parsed) {
      return error_reply(call, 400, "invalid_parameter",
                         "level must be one of trace, debug, info, warn, error");
    }
    q.min_level = static_cast<cs_log_level>(static_cast<int>(*parsed));
  }
  const std::string request_id(call.query_param("request_id").value_or(""));
  q.request_id = request_id;
  const auto after = parse_int(call.query_param("after_id").value_or("0"));
  const auto limit = parse_int(call.query_param("limit").value_or("200"));
  std::optional<int64_t> job_id;
  if (auto j = call.query_param("job_id")) {
    job_id = parse_int(*j);
    if (!job_id || *job_id < 1) {
      return error_reply(call, 400, "invalid_parameter", "job_id must be an integer >= 1");
    }
  }
  if (!after || *after < 0 || !limit || *limit < 1) {
    return error_reply(call, 400, "invalid_parameter",
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
    auto chunk = s.ctx.storage.query_logs(q);
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
  JsonWriter w(buf);
  w.StartObject();
  write_key(w, "logs");
  w.StartArray();
  for (const auto& l : out) {
    w.StartObject();
    write_key(w, "id");
    w.Int64(l.id);
    write_key(w, "ts");
    write_time_or_null(w, l.ts_ms);
    write_key(w, "level");
    write_string(w, level_name(l.level));
    write_key(w, "request_id");
    write_string(w, l.request_id);
    write_key(w, "msg");
    write_string(w, l.message);
    write_key(w, "fields");
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
  write_key(w, "next_after_id");
  if (!out.empty()) {
    w.Int64(out.back().id);
  } else if (*after > 0) {
    w.Int64(*after);
  } else {
    w.Null();
  }
  w.EndObject();
  return json_reply(200, json_text(buf));
}

}  // namespace

std::vector<Route> logs_routes(const RouteServices& s) {
  using boost::beast::http::verb;
  return {
      {verb::get, "/api/v1/logs", Role::viewer, [s](AdminCall& c) { return logs(s, c); }},
  };
}

}  // namespace cardsync::admin
