#include "sandbox/usage_meter.hpp"

#include <chrono>

namespace cardsync::sandbox {

std::chrono::seconds until_next_day(Clock::WallTime now) {
  using namespace std::chrono;
  auto next = floor<days>(now) + days(1);
  return ceil<seconds>(next - now);
}

std::chrono::seconds until_next_month(Clock::WallTime now) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(now)};
  auto next = sys_days{(ymd.year() / ymd.month() / 1) + months(1)};
  return ceil<seconds>(next - now);
}

UsageMeter::UsageMeter(std::uint64_t daily_limit, std::uint64_t monthly_limit, Clock& clock)
    : daily_limit_(daily_limit), monthly_limit_(monthly_limit), clock_(clock) {}

void UsageMeter::roll_locked() {
  using namespace std::chrono;
  auto today = floor<days>(clock_.wall());
  year_month_day ymd{today};
  std::int64_t day = today.time_since_epoch().count();
  std::int64_t month = static_cast<int>(ymd.year()) * 12LL + static_cast<unsigned>(ymd.month());
  if (day != day_) {
    day_ = day;
    used_.daily_used = 0;
  }
  if (month != month_) {
    month_ = month;
    used_.monthly_used = 0;
  }
}

QuotaVerdict UsageMeter::admit(UsageSnapshot& after) {
  std::lock_guard lock(mu_);
  roll_locked();
  QuotaVerdict verdict = QuotaVerdict::kAdmitted;
  if (monthly_limit_ != 0 && used_.monthly_used >= monthly_limit_) {
    verdict = QuotaVerdict::kMonthlyExceeded;
  } else if (daily_limit_ != 0 && used_.daily_used >= daily_limit_) {
    verdict = QuotaVerdict::kDailyExceeded;
  } else {
    ++used_.daily_used;
    ++used_.monthly_used;
  }
  after = used_;
  return verdict;
}

UsageSnapshot UsageMeter::snapshot() {
  std::lock_guard lock(mu_);
  roll_locked();
  return used_;
}

}  // namespace cardsync::sandbox
