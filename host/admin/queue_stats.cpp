#include "admin/queue_stats.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "admin/job_states.hpp"
#include "admin/json_writer.hpp"

namespace cardsync::admin {

QueueStats::QueueStats(queue::JobQueue& queue, Clock& clock)
    : QueueStats([&queue] { return queue.stats(); }, [&queue] { return queue.now_ms(); }, clock) {}

QueueStats::QueueStats(Source source, std::function<int64_t()> now_ms, Clock& clock,
                       std::chrono::milliseconds fresh_for)
    : source_(std::move(source)),
      now_ms_(std::move(now_ms)),
      clock_(clock),
      fresh_for_(fresh_for) {}

std::shared_ptr<const QueueCounts> QueueStats::read() const {
  auto out = std::make_shared<QueueCounts>();
  out->now_ms = now_ms_();
  try {
    out->rows = source_();
  } catch (const std::exception& e) {
    out->error = e.what();
    out->failure = std::current_exception();
  }
  return out;
}

std::shared_ptr<const QueueCounts> QueueStats::counts() {
  std::unique_lock lock(mu_);
  const auto now = clock_.now();
  if (counts_ && now - at_ < fresh_for_) return counts_;
  if (refreshing_) {
    // Someone is reading already: the previous counts will do meanwhile; the very first read
    // has none to offer, so its callers wait for it.
    if (counts_) return counts_;
    refreshed_.wait(lock, [this] { return !refreshing_; });
    return counts_;
  }
  refreshing_ = true;
  lock.unlock();
  // Read outside the lock: readers of the cached counts never wait behind the storage.
  auto fresh = read();
  lock.lock();
  counts_ = std::move(fresh);
  at_ = now;
  refreshing_ = false;
  refreshed_.notify_all();
  return counts_;
}

std::string QueueStats::json() {
  auto c = counts();
  if (!c->ok()) std::rethrow_exception(c->failure);
  std::lock_guard lock(mu_);
  if (json_of_ != c) {
    json_ = queue_stats_json(*c);
    json_of_ = c;
  }
  return json_;
}

std::string queue_stats_json(const QueueCounts& c) {
  struct Row {
    std::array<int64_t, kJobStates.size()> counts{};
    int64_t next_run_at_ms = 0;
  };
  std::map<std::string, Row> by_type;
  std::array<int64_t, kJobStates.size()> totals{};
  const int64_t now = c.now_ms;
  int64_t oldest_due = 0;
  for (const auto& s : c.rows) {
    const auto col = static_cast<size_t>(std::find(kJobStates.begin(), kJobStates.end(), s.state) -
                                         kJobStates.begin());
    if (col == kJobStates.size()) continue;
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
  JsonWriter w(buf);
  auto counts = [&](const std::array<int64_t, kJobStates.size()>& n) {
    for (size_t i = 0; i < kJobStates.size(); ++i) {
      write_key(w, queue::to_string(kJobStates[i]));
      w.Int64(n[i]);
    }
  };
  w.StartObject();
  write_key(w, "totals");
  w.StartObject();
  counts(totals);
  w.EndObject();
  write_key(w, "by_type");
  w.StartArray();
  for (const auto& [type, row] : by_type) {
    w.StartObject();
    write_key(w, "type");
    write_string(w, type);
    counts(row.counts);
    write_key(w, "next_run_at");
    write_time_or_null(w, row.counts[0] > 0 ? row.next_run_at_ms : 0);
    w.EndObject();
  }
  w.EndArray();
  write_key(w, "lag_seconds");
  w.Double(oldest_due > 0 ? static_cast<double>(now - oldest_due) / 1000.0 : 0.0);
  w.EndObject();
  return json_text(buf);
}

}  // namespace cardsync::admin
