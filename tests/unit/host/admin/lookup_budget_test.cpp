// Who may make a lookup spend an upstream's quota, in virtual time: operators always; a
// viewer up to admin.viewer_fetches_per_day per subject and UTC day, or never with 0.
#include "admin/lookup_budget.hpp"

#include <gtest/gtest.h>

namespace cardsync::admin {
namespace {

using Verdict = LookupBudget::Verdict;

// 2026-12-07 23:59:00 UTC.
const Clock::WallTime kLateEvening{std::chrono::seconds(1796687940)};

TEST(LookupBudgetTest, WithNoBudgetOnlyOperatorsFetch) {
  ManualClock clock(false, kLateEvening);
  LookupBudget budget(0, clock);
  EXPECT_EQ(budget.spend(Role::viewer, "ana"), Verdict::operator_only);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(budget.spend(Role::operator_, "ops"), Verdict::allowed);
}

TEST(LookupBudgetTest, EachViewerSubjectHasItsOwnBudgetUntilMidnightUtc) {
  ManualClock clock(false, kLateEvening);
  LookupBudget budget(2, clock);
  EXPECT_EQ(budget.spend(Role::viewer, "ana"), Verdict::allowed);
  EXPECT_EQ(budget.spend(Role::viewer, "ana"), Verdict::allowed);
  EXPECT_EQ(budget.spend(Role::viewer, "ana"), Verdict::spent);
  EXPECT_EQ(budget.spend(Role::viewer, "bob"), Verdict::allowed);
  EXPECT_EQ(budget.renews_at(), kLateEvening + std::chrono::minutes(1));
  clock.advance(std::chrono::seconds(59));
  EXPECT_EQ(budget.spend(Role::viewer, "ana"), Verdict::spent);
  clock.advance(std::chrono::seconds(1));
  EXPECT_EQ(budget.spend(Role::viewer, "ana"), Verdict::allowed);
  EXPECT_EQ(budget.renews_at(), kLateEvening + std::chrono::minutes(1) + std::chrono::hours(24));
}

TEST(LookupBudgetTest, ARefundGivesBackAFetchThatWasNotMade) {
  ManualClock clock(false, kLateEvening);
  LookupBudget budget(1, clock);
  EXPECT_EQ(budget.spend(Role::viewer, "ana"), Verdict::allowed);
  budget.refund(Role::viewer, "ana");
  EXPECT_EQ(budget.spend(Role::viewer, "ana"), Verdict::allowed);
  EXPECT_EQ(budget.spend(Role::viewer, "ana"), Verdict::spent);
}

}  // namespace
}  // namespace cardsync::admin
