// The quarantine (items the pipeline could not turn into records): newest first, page by
// page with filters, or all of it as a CSV download.
#include <algorithm>
#include <iterator>
#include <sstream>

#include "admin/json_writer.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"
#include "queue/quarantine_csv.hpp"

namespace cardsync::admin {
namespace {

constexpr int64_t kMaxPage = 500;

void write_quarantined(JsonWriter& w, const queue::StoredQuarantine& i) {
  w.StartObject();
  write_key(w, "id");
  w.Int64(i.id);
  write_key(w, "at");
  write_time_or_null(w, i.at_ms);
  write_key(w, "source");
  write_string(w, i.source);
  write_key(w, "job_type");
  write_string(w, i.job_type);
  write_key(w, "job_key");
  write_string(w, i.job_key);
  write_key(w, "reason");
  write_string(w, i.reason);
  write_key(w, "json_path");
  write_string(w, i.json_path);
  write_key(w, "raw_item");
  write_string(w, i.raw_item);
  write_key(w, "request_id");
  write_string(w, i.request_id);
  w.EndObject();
}

Reply quarantine(const RouteServices& s, AdminCall& call) {
  const auto limit = parse_int(call.query_param("limit").value_or("50"));
  const auto before = parse_int(call.query_param("before_id").value_or("0"));
  if (!limit || *limit < 1 || !before || *before < 0) {
    return error_reply(call, 400, "invalid_parameter",
                       "limit must be an integer >= 1 and before_id an integer >= 0");
  }
  const std::string source(call.query_param("source").value_or(""));
  const std::string job_type(call.query_param("job_type").value_or(""));
  sdk::QuarantineQuery q;
  q.newest_first = true;
  q.source = source;
  q.job_type = job_type;
  q.before_id = *before;
  const int64_t page = std::min(*limit, kMaxPage);
  q.limit = page + 1;
  auto items = s.ctx.storage.query_quarantine(q);
  return json_reply(200, page_json(items, page, "items", "next_before_id", write_quarantined));
}

Reply quarantine_csv(const RouteServices& s, AdminCall& call) {
  const std::string source(call.query_param("source").value_or(""));
  const std::string job_type(call.query_param("job_type").value_or(""));
  std::vector<queue::StoredQuarantine> all;
  sdk::QuarantineQuery q;
  q.source = source;
  q.job_type = job_type;
  q.limit = 1000;
  // Ascending in pages, so a large quarantine is read in bounded steps.
  for (;;) {
    auto page = s.ctx.storage.query_quarantine(q);
    if (page.empty()) break;
    q.after_id = page.back().id;
    const bool last = static_cast<int64_t>(page.size()) < q.limit;
    all.insert(all.end(), std::make_move_iterator(page.begin()),
               std::make_move_iterator(page.end()));
    if (last || all.size() >= 1'000'000) break;
  }
  std::ostringstream out;
  queue::write_quarantine_csv(out, all);
  return csv_reply(out.str(), "quarantine.csv");
}

}  // namespace

std::vector<Route> quarantine_routes(const RouteServices& s) {
  using boost::beast::http::verb;
  return {
      {verb::get, "/api/v1/quarantine", Role::viewer,
       [s](AdminCall& c) { return quarantine(s, c); }},
      {verb::get, "/api/v1/quarantine.csv", Role::viewer,
       [s](AdminCall& c) { return quarantine_csv(s, c); }},
  };
}

}  // namespace cardsync::admin
