// Throughput and upstream health: records written per minute (the monitor's chart), and per
// service its circuit breaker, pacing and daily quota.
#include <algorithm>
#include <chrono>

#include "admin/json_writer.hpp"
#include "admin/replies.hpp"
#include "admin/routes/admin_routes.hpp"

namespace cardsync::admin {
namespace {

Reply records_per_minute(const RouteServices& s, AdminCall& call) {
  const auto minutes = parse_int(call.query_param("minutes").value_or("60"));
  if (!minutes || *minutes < 1 || *minutes > RecordsPerMinute::kMinutes) {
    return error_reply(
        call, 400, "invalid_parameter",
        "minutes must be an integer from 1 to " + std::to_string(RecordsPerMinute::kMinutes));
  }
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_key(w, "minutes");
  w.StartArray();
  if (s.ctx.records_per_minute) {
    for (const auto& m :
         s.ctx.records_per_minute->last(s.ctx.clock.wall(), static_cast<int>(*minutes))) {
      w.StartObject();
      write_key(w, "at");
      w.String(queue::iso8601_utc(m.at_ms));
      write_key(w, "records");
      w.Int64(m.records);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return json_reply(200, json_text(buf));
}

Reply breakers(const RouteServices& s, AdminCall& /*call*/) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_key(w, "services");
  w.StartArray();
  if (s.ctx.client != nullptr) {
    const auto now = s.ctx.clock.now();
    const auto wall = s.ctx.clock.wall();
    for (const auto& service : s.ctx.client->services()) {
      w.StartObject();
      write_key(w, "service");
      write_string(w, service);
      const CircuitBreaker* breaker = s.ctx.client->breakers().find(service);
      const BreakerSnapshot snap = breaker != nullptr ? breaker->snapshot() : BreakerSnapshot{};
      write_key(w, "state");
      write_string(w, to_string(snap.state));
      write_key(w, "failure_rate");
      w.Double(snap.window_calls > 0 ? static_cast<double>(snap.window_failures) / snap.window_calls
                                     : 0.0);
      write_key(w, "window_calls");
      w.Int(snap.window_calls);
      write_key(w, "consecutive_failures");
      w.Int(snap.consecutive_failures);
      write_key(w, "open_remaining_seconds");
      w.Double(snap.state == BreakerState::open && snap.open_until > now
                   ? std::chrono::duration<double>(snap.open_until - now).count()
                   : 0.0);
      Pacer& pacer = s.ctx.client->pacer(service);
      write_key(w, "pacing");
      w.StartObject();
      write_key(w, "requests_per_minute");
      w.Double(pacer.requests_per_minute());
      write_key(w, "configured_requests_per_minute");
      w.Double(pacer.options().requests_per_minute);
      write_key(w, "burst");
      w.Double(pacer.options().burst);
      w.EndObject();
      write_key(w, "quota");
      const auto remaining = pacer.daily_remaining();
      if (!remaining && pacer.options().daily_quota <= 0) {
        w.Null();
      } else {
        w.StartObject();
        write_key(w, "daily_limit");
        if (pacer.options().daily_quota > 0) {
          w.Int64(pacer.options().daily_quota);
        } else {
          w.Null();
        }
        write_key(w, "remaining");
        if (remaining) {
          w.Int64(*remaining);
        } else {
          w.Null();
        }
        write_key(w, "used");
        w.Int64(pacer.options().daily_quota > 0 && remaining
                    ? std::max<int64_t>(0, pacer.options().daily_quota - *remaining)
                    : 0);
        write_key(w, "resets_at");
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
  return json_reply(200, json_text(buf));
}

}  // namespace

std::vector<Route> stats_routes(const RouteServices& s) {
  using boost::beast::http::verb;
  return {
      {verb::get, "/api/v1/stats/records-per-minute", Role::viewer,
       [s](AdminCall& c) { return records_per_minute(s, c); }},
      {verb::get, "/api/v1/breakers", Role::viewer, [s](AdminCall& c) { return breakers(s, c); }},
  };
}

}  // namespace cardsync::admin
