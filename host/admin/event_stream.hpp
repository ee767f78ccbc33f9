#pragma once
// GET /api/v1/events as server-sent events: `stats` (the queue/stats JSON) at once, then
// whenever it changes (checked every second) and at least every `interval`; `log` for each
// new log line matching the stream's filter; a keep-alive comment when nothing was sent for
// 15 s, so proxies keep the stream open and a vanished client is noticed.

#include <functional>
#include <memory>
#include <string>

#include "admin/http_exchange.hpp"
#include "admin/log_broadcast.hpp"
#include "time/clock.hpp"

namespace cardsync::admin {

class AdminEventStream final : public EventStream {
 public:
  AdminEventStream(Clock& clock, std::chrono::seconds interval,
                   std::function<std::string()> stats_json,
                   std::shared_ptr<LogBroadcast::Subscription> logs);

  std::string poll() override;

 private:
  Clock& clock_;
  std::chrono::seconds interval_;
  std::function<std::string()> stats_json_;
  std::shared_ptr<LogBroadcast::Subscription> logs_;
  bool started_ = false;
  std::string last_stats_;
  Clock::SteadyTime last_stats_sent_{};
  Clock::SteadyTime last_stats_check_{};
  Clock::SteadyTime last_sent_{};
};

}  // namespace cardsync::admin
