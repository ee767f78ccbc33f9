// Acceptance (issue 5): a wrong API key stops the provider with one clear message that
// names the key problem (never the key itself), and the run exits 1.
#include <gmock/gmock.h>

#include "integration/sync_fixture.hpp"

namespace cardsync::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using BadApiKey = SyncTest;

TEST_F(BadApiKey, StopsTheProviderWithOneClearMessageAndExitsOne) {
  start_sandbox(sandbox_catalog(5, 2, 2, 10, 2));
  const std::string wrong_key = "tcg_wrong_8f1d2c7e5a";
  auto cfg = config();
  cfg.api_key = wrong_key;

  auto r = run_once(cfg, "run");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;

  // One line on each stream: the log line (stderr) and the summary line (stdout).
  const auto logged = lines_containing(r.err, "API key");
  ASSERT_EQ(logged.size(), 1U) << r.err;
  EXPECT_THAT(logged.front(), HasSubstr("INVALID_API_KEY"));
  EXPECT_THAT(logged.front(), HasSubstr("providers.justtcg.api_key"));
  const auto summary = lines_containing(r.out, "API key");
  ASSERT_EQ(summary.size(), 1U) << r.out;
  EXPECT_THAT(summary.front(), HasSubstr("provider 'justtcg' stopped"));

  // The key itself is never printed or stored.
  EXPECT_THAT(r.out, Not(HasSubstr(wrong_key)));
  EXPECT_THAT(r.err, Not(HasSubstr(wrong_key)));
  SyncedCatalog db(database());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM sync_queue_errors WHERE instr(message, '" + wrong_key +
                      "') > 0"),
            0);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM logs WHERE instr(message || fields_json, '" +
                      wrong_key + "') > 0"),
            0);

  // Stopped means stopped: the one rejected request, then nothing.
  const auto stats = control().stats();
  EXPECT_EQ(stats.total(), 1U);
  EXPECT_EQ(stats.count("GET /v1/games", "401"), 1U);
  EXPECT_EQ(db.counts().games, 0);
}

}  // namespace
}  // namespace cardsync::integration
