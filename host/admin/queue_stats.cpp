#include "admin/queue_stats.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "admin/job_states.hpp"
#include "admin/json_writer.hpp"

namespace cardsync::admin {

std::string QueueStats::json() {
  constexpr auto kFreshFor = std::chrono::seconds(1);
  std::lock_guard lock(mu_);
  const auto now = clock_.now();
  if (cache_.empty() || now - at_ >= kFreshFor) {
    cache_ = compute();
    at_ = now;
  }
  return cache_;
}

std::string QueueStats::compute() {
  struct Row {
    std::array<int64_t, kJobStates.size()> counts{};
    int64_t next_run_at_ms = 0;
  };
  std::map<std::string, Row> by_type;
  std::array<int64_t, kJobStates.size()> totals{};
  const int64_t now = queue_.now_ms();
  int64_t oldest_due = 0;
  for (const auto& s : queue_.stats()) {
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
  auto counts = [&](const std::array<int64_t, kJobStates.size()>& c) {
    for (size_t i = 0; i < kJobStates.size(); ++i) {
      write_key(w, queue::to_string(kJobStates[i]));
      w.Int64(c[i]);
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
