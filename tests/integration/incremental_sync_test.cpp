// Acceptance (issue 5): after prices change upstream, an incremental run fetches only the
// changed variants and ends at the new truth.
#include <gmock/gmock.h>

#include "integration/sync_fixture.hpp"

namespace cardsync::integration {
namespace {

using ::testing::ContainsRegex;

using IncrementalSync = SyncTest;

TEST_F(IncrementalSync, FetchesOnlyChangedVariantsAndEndsAtTheNewTruth) {
  start_sandbox(sandbox_catalog(23, 2, 3, 50, 5));
  auto cfg = config();
  cfg.mode = "incremental";

  // The first incremental run has no sync point for any set: it fetches everything.
  auto first = run_once(cfg, "first");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const auto before = control().truth();
  expect_at_truth(before);
  ASSERT_EQ(control().stats().served("variants"), before.variants);

  const auto mutated = control().mutate(0.05);
  ASSERT_GT(mutated, 0U);
  const auto after = control().truth();
  ASSERT_NE(after.checksum, before.checksum);
  control().reset_stats();

  auto second = run_once(cfg, "second");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  expect_at_truth(after);

  // Upstream served exactly the re-priced variants, and they are the rows that changed.
  const auto stats = control().stats();
  EXPECT_EQ(stats.served("variants"), mutated);
  EXPECT_LT(stats.served("cards"), after.cards);
  SyncedCatalog db(database());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM variants WHERE version > 1"),
            static_cast<std::int64_t>(mutated));
  EXPECT_THAT(second.out, ContainsRegex("variants +0 +" + std::to_string(mutated) + " +0 "));
  // Still one request per set: incremental lists every set and asks each once.
  EXPECT_EQ(stats.count("GET /v1/cards", "200"), after.sets);
}

}  // namespace
}  // namespace cardsync::integration
