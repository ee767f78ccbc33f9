// Acceptance (issue 18, upgrades): a database written by the previous release
// (tests/integration/upgrade/*.sql, made by make-fixtures.sh from a real sync) is migrated in
// place by this cardsync with nothing lost and keeps working, and a database stamped with a
// schema version newer than this cardsync knows is refused, untouched, with exit 2.
#include <gmock/gmock.h>

#include <algorithm>
#include <cctype>

#include "integration/pg_catalog.hpp"
#include "integration/sync_fixture.hpp"
#include "integration/upgrade_database.hpp"

namespace cardsync::integration {
namespace {

using ::testing::HasSubstr;

// make-fixtures.sh synced this catalog (its `catalog` flags).
sandbox::SandboxOptions fixture_catalog() {
  return sandbox_catalog(18, 2, 2, 6, 3, 0.1);
}

// Every table the previous release wrote to, each non-empty in its fixture.
const char* const kFixtureTables[] = {
    "games",        "sets",        "cards",      "variants",
    "graded_certs", "cert_images", "sync_queue", "sync_queue_errors",
    "sync_cursors", "quarantine",  "logs"};

// A fixture: "<engine>-v<schema version>", tests/integration/upgrade/<fixture>.sql.
class Upgrade : public SyncTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    if (postgres()) {
      auto url = test_postgres_url();
      if (!url) {
        if (postgres_required())
          FAIL() << "CARDSYNC_REQUIRE_POSTGRES=1 but CARDSYNC_TEST_PG_URL is unset";
        GTEST_SKIP() << "no test PostgreSQL (scripts/pg-test-server.sh start; export "
                        "CARDSYNC_TEST_PG_URL)";
      }
      url_ = *url;
      const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
      std::string name = info->name();
      name = name.substr(0, name.find('/'));
      for (char& c : name)
        c = std::isalnum(static_cast<unsigned char>(c)) != 0 ? std::tolower(c) : '_';
      schema_ = "up_" + std::to_string(getpid()) + "_" + name.substr(0, 30);
      PgCatalog(url_, schema_).drop_schema();
      db_ = postgres_upgrade_database(url_, schema_);
    } else {
      db_ = sqlite_upgrade_database(database());
    }
    start_sandbox(fixture_catalog());
    db_->restore(std::filesystem::path(CARDSYNC_SOURCE_DIR) / "tests/integration/upgrade" /
                 (GetParam() + ".sql"));
  }

  void TearDown() override {
    if (!url_.empty() && !HasFailure()) PgCatalog(url_, schema_).drop_schema();
    SyncTest::TearDown();
  }

  bool postgres() const { return GetParam().starts_with("postgres-"); }

  SyncConfig cfg() const {
    SyncConfig c = config();
    c.mode = "incremental";
    c.page_size = 2;           // as the fixture's jobs were written: their checkpoints are pages
    c.log_retention_days = 0;  // stored log lines are part of what must survive
    if (postgres()) {
      c.postgres_url = url_;
      c.postgres_schema = schema_;
    }
    return c;
  }

  ProcessExit command(const std::string& name, const std::vector<std::string>& args) {
    auto child = start_command(cfg(), name, args);
    return wait(*child, name);
  }

  std::int64_t count(const std::string& where) const {
    return db_->scalar("SELECT count(*) FROM sync_queue WHERE " + where);
  }
  std::int64_t version() const { return db_->scalar("SELECT version FROM cardsync_schema"); }

  void expect_at(const UpstreamTruth& truth) {
    if (!postgres()) return expect_at_truth(truth);
    PgCatalog db(url_, schema_);
    const auto c = db.counts();
    EXPECT_EQ(static_cast<std::uint64_t>(c.variants), truth.variants);
    EXPECT_EQ(static_cast<std::uint64_t>(c.cards), truth.cards);
    EXPECT_EQ(db.checksum(), truth.checksum);
  }

  // Every row of `before` is in `after`, value for value; only log lines may have been added
  // (a command logs to storage too).
  static void expect_rows_kept(const DatabaseSnapshot& before, const DatabaseSnapshot& after) {
    for (const auto& [table, was] : before) {
      const auto it = after.find(table);
      ASSERT_NE(it, after.end()) << table;
      const auto& now = it->second.rows;
      EXPECT_TRUE(std::includes(now.begin(), now.end(), was.rows.begin(), was.rows.end()))
          << "rows of " << table << " were lost or changed";
      if (table != "logs") {
        EXPECT_EQ(now.size(), was.rows.size()) << table;
      }
    }
  }

  std::unique_ptr<UpgradeDatabase> db_;
  std::string url_, schema_;
};

TEST_P(Upgrade, APreviousReleasesDatabaseMigratesInPlaceWithNothingLost) {
  const auto before = db_->snapshot();
  for (const char* table : kFixtureTables) {
    ASSERT_EQ(before.count(table), 1U) << table;
    EXPECT_FALSE(before.at(table).rows.empty()) << "the fixture has no " << table;
  }
  for (const char* state : {"done", "failed", "processing", "queued"}) {
    EXPECT_GT(count(std::string("state = '") + state + "'"), 0) << "no " << state << " job";
  }
  EXPECT_GT(count("state = 'processing' AND cursor <> ''"), 0) << "no job holds a checkpoint";
  const auto fixture_version = version();
  ASSERT_GE(fixture_version, 1);

  // Any command opens the storage, and opening it migrates.
  const auto stats = command("stats", {"queue", "stats"});
  ASSERT_EQ(stats.exit_code, 0) << stats.out << stats.err;
  EXPECT_GE(version(), fixture_version);
  EXPECT_THAT(stats.out, HasSubstr("justtcg.cards"));

  // Every row of every table, value for value in the columns the previous release wrote.
  expect_rows_kept(before, db_->snapshot_like(before));
  // And it is the catalog the sandbox serves, read through this release's code.
  expect_at(control().truth());
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM graded_certs"), 3);
}

TEST_P(Upgrade, AfterTheUpgradeFailedJobsRetryLiveJobsRunAndASyncEndsAtTheTruth) {
  const auto failed = count("state = 'failed'");
  const auto failed_id = db_->scalar("SELECT min(id) FROM sync_queue WHERE state = 'failed'");
  const auto last_id = db_->scalar("SELECT max(id) FROM sync_queue");
  const auto done = count("state = 'done'");
  const auto live = count("state IN ('queued', 'processing')");
  ASSERT_GT(failed_id, 0);
  ASSERT_GT(live, 0);
  const std::string id = std::to_string(failed_id);

  const auto retry = command("retry", {"queue", "retry", id});
  ASSERT_EQ(retry.exit_code, 0) << retry.out << retry.err;
  EXPECT_EQ(count("id = " + id + " AND state = 'queued'"), 1);

  const auto mutated = control().mutate(0.05);
  ASSERT_GT(mutated, 0U);
  const auto run = command("run", {"run", "--once"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  expect_at(control().truth());

  // The retried job and every job the killed run left live ran, each as the same row.
  EXPECT_EQ(count("id = " + id + " AND state = 'done'"), 1);
  EXPECT_EQ(count("id <= " + std::to_string(last_id) + " AND state = 'done'"), done + live + 1);
  EXPECT_EQ(count("state IN ('queued', 'processing')"), 0);
  EXPECT_EQ(count("state = 'failed'"), failed - 1);
}

TEST_P(Upgrade, AFutureSchemaVersionIsRefusedUntouchedWithExitTwo) {
  const auto migrate = command("migrate", {"queue", "stats"});
  ASSERT_EQ(migrate.exit_code, 0) << migrate.out << migrate.err;
  const auto known = version();
  const auto future = known + 1;
  db_->exec("UPDATE cardsync_schema SET version = " + std::to_string(future));
  const auto before = db_->snapshot();
  control().reset_stats();

  const auto run = command("run", {"run", "--once"});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_THAT(run.err, HasSubstr("schema version " + std::to_string(future)));
  EXPECT_THAT(run.err, HasSubstr("knows versions up to " + std::to_string(known)));
  EXPECT_THAT(run.err, HasSubstr("upgrade cardsync"));
  EXPECT_EQ(version(), future);
  expect_rows_kept(before, db_->snapshot_like(before));
  EXPECT_EQ(control().stats().total(), 0U) << "nothing may be fetched for a refused database";
}

// Every schema version a release has shipped, on both engines: keep the old fixtures when
// adding a new one (upgrade/README.md).
INSTANTIATE_TEST_SUITE_P(Fixtures, Upgrade, ::testing::Values("sqlite-v1", "postgres-v1"),
                         [](const auto& info) {
                           std::string name = info.param;
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

}  // namespace
}  // namespace cardsync::integration
