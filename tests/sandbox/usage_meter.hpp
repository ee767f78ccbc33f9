#pragma once
// Daily and monthly request counts as an upstream bills them (the day resets at 00:00 UTC,
// the month on the calendar month, by the injected clock's wall time), optionally enforced.

#include <chrono>
#include <cstdint>
#include <mutex>

#include "time/clock.hpp"

namespace cardsync::sandbox {

struct UsageSnapshot {
  std::uint64_t daily_used = 0;
  std::uint64_t monthly_used = 0;
};

// Seconds until the next 00:00 UTC / the first of next month: the Retry-After of a spent
// daily / monthly quota.
std::chrono::seconds until_next_day(Clock::WallTime now);
std::chrono::seconds until_next_month(Clock::WallTime now);

enum class QuotaVerdict { kAdmitted, kDailyExceeded, kMonthlyExceeded };

// Thread-safe.
class UsageMeter {
 public:
  // A limit of 0 is not enforced.
  UsageMeter(std::uint64_t daily_limit, std::uint64_t monthly_limit, Clock& clock);

  // Counts the request when admitted; `after` receives the counts including it.
  QuotaVerdict admit(UsageSnapshot& after);
  UsageSnapshot snapshot();

 private:
  void roll_locked();

  std::uint64_t daily_limit_;
  std::uint64_t monthly_limit_;
  Clock& clock_;
  std::mutex mu_;
  std::int64_t day_ = -1;
  std::int64_t month_ = -1;
  UsageSnapshot used_;
};

}  // namespace cardsync::sandbox
