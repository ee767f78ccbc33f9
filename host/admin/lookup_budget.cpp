#include "admin/lookup_budget.hpp"

#include <chrono>

namespace cardsync::admin {
namespace {

constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;

}  // namespace

int64_t LookupBudget::today() const {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch()).count();
  return seconds >= 0 ? seconds / kSecondsPerDay : (seconds + 1) / kSecondsPerDay - 1;
}

Clock::WallTime LookupBudget::renews_at() const {
  return Clock::WallTime(std::chrono::seconds((today() + 1) * kSecondsPerDay));
}

LookupBudget::Verdict LookupBudget::spend(Role role, std::string_view subject) {
  if (role_permits(role, Role::operator_)) return Verdict::allowed;
  if (per_day_ <= 0) return Verdict::operator_only;
  std::lock_guard lock(mu_);
  if (const int64_t day = today(); day != day_) {
    // A new day: every budget is whole again, and yesterday's subjects take no memory.
    used_.clear();
    day_ = day;
  }
  auto it = used_.find(subject);
  if (it == used_.end()) it = used_.emplace(std::string(subject), 0).first;
  if (it->second >= per_day_) return Verdict::spent;
  ++it->second;
  return Verdict::allowed;
}

void LookupBudget::refund(Role role, std::string_view subject) {
  if (role_permits(role, Role::operator_) || per_day_ <= 0) return;
  std::lock_guard lock(mu_);
  if (today() != day_) return;
  if (auto it = used_.find(subject); it != used_.end() && it->second > 0) --it->second;
}

}  // namespace cardsync::admin
