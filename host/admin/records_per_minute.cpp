#include "admin/records_per_minute.hpp"

#include <algorithm>

namespace cardsync::admin {

int64_t RecordsPerMinute::minute_of(Clock::WallTime t) {
  return std::chrono::duration_cast<std::chrono::minutes>(t.time_since_epoch()).count();
}

void RecordsPerMinute::sample(Clock::WallTime now, int64_t total) {
  std::lock_guard lock(mu_);
  if (!primed_) {
    // Counts from before the first sample belong to no known minute.
    primed_ = true;
    last_total_ = total;
    return;
  }
  const int64_t delta = std::max<int64_t>(0, total - last_total_);
  last_total_ = std::max(last_total_, total);
  if (delta == 0) return;
  const int64_t m = minute_of(now);
  const auto slot = static_cast<size_t>(m % kMinutes);
  if (stamp_[slot] != m) {
    stamp_[slot] = m;
    counts_[slot] = 0;
  }
  counts_[slot] += delta;
}

std::vector<RecordsPerMinute::Minute> RecordsPerMinute::last(Clock::WallTime now,
                                                             int minutes) const {
  minutes = std::clamp(minutes, 1, kMinutes);
  const int64_t current = minute_of(now);
  std::vector<Minute> out;
  out.reserve(static_cast<size_t>(minutes));
  std::lock_guard lock(mu_);
  for (int64_t m = current - minutes + 1; m <= current; ++m) {
    const auto slot = static_cast<size_t>(((m % kMinutes) + kMinutes) % kMinutes);
    out.push_back({m * 60'000, stamp_[slot] == m ? counts_[slot] : 0});
  }
  return out;
}

}  // namespace cardsync::admin
