#pragma once
// Who may make a lookup spend an upstream's quota. A lookup of an item not in the cache
// fetches it (one or more upstream calls) or queues a job that will; a viewer token could
// otherwise spend a provider's whole daily quota, and queue jobs for the days after, one new
// key at a time. So the operator role may always fetch; a viewer may make
// `admin.viewer_fetches_per_day` such lookups per UTC day (the quotas' own day), counted by
// the token's subject; with 0 a viewer gets cached answers only. Cached answers cost nothing
// and are never counted. Counts are this process's, in memory: a restart starts them afresh.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "admin/jwt_verifier.hpp"
#include "admin/route_table.hpp"
#include "time/clock.hpp"

namespace cardsync::admin {

class LookupBudget {
 public:
  enum class Verdict {
    allowed,
    operator_only,  // viewers may not fetch at all (the budget is 0)
    spent,          // this subject's fetches for today are used up
  };

  // `clock` must outlive this.
  LookupBudget(int64_t viewer_fetches_per_day, Clock& clock)
      : per_day_(viewer_fetches_per_day), clock_(clock) {}

  // Takes one fetch from `subject`'s budget when `role` needs one. Thread-safe.
  Verdict spend(Role role, std::string_view subject);
  // Gives back a fetch spend() took that was not made after all (the server was too busy).
  void refund(Role role, std::string_view subject);
  // When a spent budget is whole again: the next 00:00 UTC.
  Clock::WallTime renews_at() const;
  int64_t per_day() const { return per_day_; }

 private:
  int64_t today() const;

  const int64_t per_day_;
  Clock& clock_;
  std::mutex mu_;
  int64_t day_ = 0;
  std::map<std::string, int64_t, std::less<>> used_;  // today's, by subject
};

}  // namespace cardsync::admin
