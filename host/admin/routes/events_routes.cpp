// GET /api/v1/events: the queue stats and new log lines (filtered by level and request id)
// as server-sent events; see event_stream.hpp for what is sent when.
#include <boost/beast/http/field.hpp>
#include <memory>

#include "admin/event_stream.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"
#include "log/level.hpp"

namespace cardsync::admin {
namespace {

namespace http = boost::beast::http;

Reply events(const RouteServices& s, AdminCall& call) {
  log::Level level = log::Level::info;
  if (auto l = call.query_param("level")) {
    const auto parsed = log::parse_level(*l);
    if (!parsed) {
      return error_reply(call, 400, "invalid_parameter",
                         "level must be one of trace, debug, info, warn, error");
    }
    level = *parsed;
  }
  std::string request_id(call.query_param("request_id").value_or(""));
  std::shared_ptr<LogBroadcast::Subscription> sub;
  if (s.ctx.log_broadcast) sub = s.ctx.log_broadcast->subscribe(level, std::move(request_id));
  Reply r = make_reply(200, {}, "text/event-stream");
  r.response.set(http::field::cache_control, "no-store");
  r.response.set("X-Accel-Buffering", "no");
  r.stream = std::make_shared<AdminEventStream>(
      s.ctx.clock, s.options.events_interval, [&stats = s.queue_stats] { return stats.json(); },
      std::move(sub));
  return r;
}

}  // namespace

std::vector<Route> events_routes(const RouteServices& s) {
  return {
      {http::verb::get, "/api/v1/events", Role::viewer, [s](AdminCall& c) { return events(s, c); }},
  };
}

}  // namespace cardsync::admin
