#include "admin/event_stream.hpp"

namespace cardsync::admin {
namespace {

constexpr auto kCheckEvery = std::chrono::seconds(1);
constexpr auto kKeepAlive = std::chrono::seconds(15);

void append_event(std::string& out, std::string_view name, std::string_view data) {
  out += "event: ";
  out += name;
  out += "\ndata: ";
  out += data;  // JSON text from our writers holds no raw newline
  out += "\n\n";
}

}  // namespace

AdminEventStream::AdminEventStream(Clock& clock, std::chrono::seconds interval,
                                   std::function<std::string()> stats_json,
                                   std::shared_ptr<LogBroadcast::Subscription> logs)
    : clock_(clock),
      interval_(interval),
      stats_json_(std::move(stats_json)),
      logs_(std::move(logs)) {}

std::string AdminEventStream::poll() {
  std::string out;
  const auto now = clock_.now();
  if (!started_) {
    started_ = true;
    // Tells the browser how long to wait before reconnecting, and flushes the head through.
    out += "retry: 4000\n\n";
  }
  if (last_stats_.empty() || now - last_stats_check_ >= kCheckEvery) {
    last_stats_check_ = now;
    std::string stats;
    try {
      stats = stats_json_();
    } catch (const std::exception&) {
      stats.clear();  // storage unavailable: skip this round, the stream stays up
    }
    if (!stats.empty() &&
        (stats != last_stats_ || now - last_stats_sent_ >= interval_ || last_stats_.empty())) {
      append_event(out, "stats", stats);
      last_stats_ = std::move(stats);
      last_stats_sent_ = now;
    }
  }
  if (logs_) {
    for (const auto& line : logs_->take()) append_event(out, "log", line);
  }
  if (out.empty() && now - last_sent_ >= kKeepAlive) out = ": keep-alive\n\n";
  if (!out.empty()) last_sent_ = now;
  return out;
}

}  // namespace cardsync::admin
