// Acceptance (issue 5): a `cardsync run --once` killed with SIGKILL mid-sync and started
// again ends exactly at the truth, resumes from the checkpoints it stored (fewer requests
// than a fresh sync), and creates no duplicate jobs.
#include <gmock/gmock.h>
#include <rapidjson/document.h>

#include <csignal>
#include <map>

#include "integration/poll.hpp"
#include "integration/sync_fixture.hpp"

namespace cardsync::integration {
namespace {

using CrashResume = SyncTest;

bool live(const QueueRow& r) {
  return r.state == "queued" || r.state == "processing";
}

// The `offset` of a stored justtcg.cards checkpoint ({"offset":40,...}), 0 without one.
std::int64_t checkpoint_offset(const std::string& cursor) {
  rapidjson::Document d;
  d.Parse(cursor.c_str());
  if (d.HasParseError() || !d.IsObject()) return 0;
  auto it = d.FindMember("offset");
  return it != d.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

TEST_F(CrashResume, KilledRunRestartsFromCheckpointsWithoutDuplicateJobs) {
  constexpr std::uint32_t kSets = 2 * 3;
  constexpr std::uint32_t kCardsPerSet = 100;
  constexpr int kPageSize = 20;
  auto options = sandbox_catalog(31, 2, 3, kCardsPerSet, 5);
  options.faults.latency = std::chrono::milliseconds(100);  // room to kill it mid-pass
  start_sandbox(options);
  const auto truth = control().truth();

  auto cfg = config();
  cfg.mode = "incremental";  // the nightly mode: finished sets are not fetched again
  cfg.page_size = kPageSize;
  cfg.lease_seconds = 5;  // the killed process's leases expire quickly
  auto first = start_run(cfg, "first");

  // Kill it a third of the way in, while a set is part-way through: a cards job holds a
  // stored page checkpoint.
  const auto third = static_cast<std::int64_t>(truth.variants / 3);
  ASSERT_TRUE(poll_until(
      [&] {
        return count_or_zero(database(), "SELECT count(*) FROM variants") >= third &&
               count_or_zero(database(),
                             "SELECT count(*) FROM sync_queue WHERE type = 'justtcg.cards'"
                             " AND state = 'processing' AND cursor LIKE '%\"offset\"%'") > 0;
      },
      std::chrono::seconds(60)))
      << first->err_so_far();
  first->kill(SIGKILL);
  auto killed = first->wait_for(std::chrono::seconds(10));
  ASSERT_TRUE(killed.has_value());
  ASSERT_EQ(killed->signal, SIGKILL) << "the run finished before it could be killed";

  std::vector<QueueRow> at_kill;
  std::int64_t checkpointed_cards = 0;
  {
    SyncedCatalog db(database());
    at_kill = db.jobs();
    ASSERT_LT(db.counts().variants, static_cast<std::int64_t>(truth.variants));
  }
  for (const auto& r : at_kill) {
    if (live(r) && r.type == "justtcg.cards") checkpointed_cards += checkpoint_offset(r.cursor);
  }
  ASSERT_GT(checkpointed_cards, 0);
  // The same upstream catalog, counting only the second run's requests.
  restart_sandbox();
  ASSERT_EQ(control().truth().checksum, truth.checksum);
  cfg.base_url = config().base_url;

  auto second = run_once(cfg, "second");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  expect_at_truth(truth);

  // Resumed, not restarted: the cards behind stored checkpoints were not asked for again,
  // so the second run needed fewer card pages than a fresh sync.
  const auto stats = control().stats();
  EXPECT_LE(stats.served("cards"), truth.all_cards() - checkpointed_cards);
  EXPECT_LT(stats.count("GET /v1/cards", "200"), kSets * (kCardsPerSet / kPageSize));

  // No duplicate jobs: every job that was queued or leased at the kill finished as that same
  // row; a (type, key) has at most the first run's row and one the second run enqueued anew
  // after the first had finished it; nothing is left queued, leased or failed.
  SyncedCatalog db(database());
  const auto rows = db.jobs();
  std::map<std::pair<std::string, std::string>, std::vector<QueueRow>> by_key;
  for (const auto& r : rows) by_key[{r.type, r.key}].push_back(r);
  for (const auto& r : at_kill) {
    if (!live(r)) continue;
    const auto& now = by_key[{r.type, r.key}];
    ASSERT_EQ(now.size(), 1U) << r.type << " " << r.key << " was enqueued twice";
    EXPECT_EQ(now.front().id, r.id);
    EXPECT_EQ(now.front().state, "done");
  }
  for (const auto& [key, list] : by_key) {
    EXPECT_LE(list.size(), 2U) << key.first << " " << key.second;
    int live_rows = 0;
    for (const auto& r : list) live_rows += live(r) ? 1 : 0;
    EXPECT_EQ(live_rows, 0) << key.first << " " << key.second;
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM sync_queue WHERE state <> 'done'"), 0);
  std::cout << "killed with " << checkpointed_cards << " cards behind checkpoints; second run "
            << stats.count("GET /v1/cards", "200") << " card pages, " << stats.served("cards")
            << " cards served, " << second.seconds << " s\n";
}

}  // namespace
}  // namespace cardsync::integration
