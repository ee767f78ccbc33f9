// Acceptance (issue 5): a clean full sync ends exactly at the truth, counts and checksum,
// and exits 0. A second full run over the same catalog changes nothing.
#include <gmock/gmock.h>

#include "integration/sync_fixture.hpp"

namespace cardsync::integration {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

using FullSync = SyncTest;

TEST_F(FullSync, CleanFullSyncEndsExactlyAtTheTruth) {
  start_sandbox(sandbox_catalog(7, 2, 3, 40, 5, 0.02));
  const auto truth = control().truth();
  ASSERT_GT(truth.variants, 0U);

  auto first = run_once(config(), "first");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  expect_at_truth(truth);
  EXPECT_THAT(first.out, HasSubstr("sync summary"));
  EXPECT_THAT(first.out, ContainsRegex("variants +" + std::to_string(truth.variants) + " +0 +0 "));
  EXPECT_THAT(first.out, HasSubstr("0 failed"));

  SyncedCatalog db(database());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM sync_queue WHERE state <> 'done'"), 0);
  // One request per page and nothing else: 1 games, 1 sets page per game, 1 cards page per
  // set (40 cards fit in the enterprise page of 200).
  const auto stats = control().stats();
  EXPECT_EQ(stats.total(), 1 + 2 + 6U);
  EXPECT_EQ(stats.count("GET /v1/cards", "200"), 6U);

  // Nothing upstream changed: a second full pass rewrites nothing and ends where it was.
  auto second = run_once(config(), "second");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  expect_at_truth(truth);
  EXPECT_THAT(second.out, ContainsRegex("variants +0 +0 +" + std::to_string(truth.variants)));
  EXPECT_EQ(db.scalar("SELECT count(*) FROM variants WHERE version <> 1"), 0);
}

}  // namespace
}  // namespace cardsync::integration
