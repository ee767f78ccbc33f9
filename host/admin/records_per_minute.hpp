#pragma once
// Records written per wall-clock minute over the last hour, for the monitor's chart. Fed by
// sampling a running total (the batch sink's written records): the growth since the last
// sample is counted in the minute of this sample. In memory: it starts empty with the process.

#include <array>
#include <cstdint>
#include <mutex>
#include <vector>

#include "time/clock.hpp"

namespace cardsync::admin {

class RecordsPerMinute {
 public:
  static constexpr int kMinutes = 180;

  // Thread-safe. `total` never decreases.
  void sample(Clock::WallTime now, int64_t total);

  struct Minute {
    int64_t at_ms = 0;  // the minute's start
    int64_t records = 0;
  };
  // The last `minutes` minutes up to and including the current one, oldest first, zeros
  // included. `minutes` is clamped to 1..kMinutes.
  std::vector<Minute> last(Clock::WallTime now, int minutes) const;

 private:
  static int64_t minute_of(Clock::WallTime t);

  mutable std::mutex mu_;
  bool primed_ = false;
  int64_t last_total_ = 0;
  // Ring by minute number; `stamp_` says which minute a slot holds.
  std::array<int64_t, kMinutes> counts_{};
  std::array<int64_t, kMinutes> stamp_{};
};

}  // namespace cardsync::admin
