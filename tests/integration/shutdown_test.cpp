// Acceptance (issue 18, shutdown): SIGINT or SIGTERM to `run --once`, `run`, `worker` or
// `serve` in the middle of a sync stops the process with its documented exit code and its
// summary, leaves no job running or leased in the queue (the ones in flight are released
// with their checkpoints), and a rerun resumes from those checkpoints: the sandbox serves it
// exactly the cards the first process had not committed, none twice.
#include <gmock/gmock.h>
#include <unistd.h>

#include <csignal>

#include "integration/pg_catalog.hpp"
#include "integration/poll.hpp"
#include "integration/sync_fixture.hpp"

namespace cardsync::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct ShutdownCase {
  std::string name;  // test-name suffix
  std::vector<std::string> args;
  int signal = SIGTERM;
  bool postgres = false;
  int exit_code = 0;  // documented in README ("run and worker stop cleanly...")
  friend void PrintTo(const ShutdownCase& c, std::ostream* os) { *os << c.name; }
};

const std::vector<std::string> kRunOnce{"run", "--once"};
const std::vector<std::string> kRun{"run"};
const std::vector<std::string> kWorker{"worker"};
const std::vector<std::string> kServe{"serve"};

// `run --once` interrupted did not finish the sync it was asked for: exit 1. For the others a
// signal is the normal way to stop: exit 0 (no job failed). Both signals take the same path
// (one waiting thread), so each command meets one of them per engine, and the other on the
// other engine; WorkerStop covers a worker's SIGTERM on SQLite too.
const ShutdownCase kCases[] = {
    {"run_once_sigint", kRunOnce, SIGINT, false, 1},
    {"run_sigterm", kRun, SIGTERM, false, 0},
    {"worker_sigint", kWorker, SIGINT, false, 0},
    {"serve_sigterm", kServe, SIGTERM, false, 0},
    {"run_once_sigterm_postgres", kRunOnce, SIGTERM, true, 1},
    {"run_sigint_postgres", kRun, SIGINT, true, 0},
    {"worker_sigterm_postgres", kWorker, SIGTERM, true, 0},
    {"serve_sigint_postgres", kServe, SIGINT, true, 0},
};

// A set's cards job that is running and has committed at least one page (its checkpoint).
constexpr const char* kRunningWithCheckpoint =
    "SELECT count(*) FROM sync_queue WHERE type = 'justtcg.cards' AND state = 'processing'"
    " AND cursor LIKE '%\"offset\"%'";
constexpr const char* kReleasedWithCheckpoint =
    "SELECT count(*) FROM sync_queue WHERE type = 'justtcg.cards' AND state = 'queued'"
    " AND cursor LIKE '%\"offset\"%' AND attempts = 0";
constexpr const char* kRunningOrLeased =
    "SELECT count(*) FROM sync_queue WHERE state = 'processing' OR lease_owner IS NOT NULL"
    " OR lease_until_ms IS NOT NULL";

class Shutdown : public SyncTest, public ::testing::WithParamInterface<ShutdownCase> {
 protected:
  void SetUp() override {
    if (!GetParam().postgres) return;
    auto url = test_postgres_url();
    if (!url) {
      if (postgres_required())
        FAIL() << "CARDSYNC_REQUIRE_POSTGRES=1 but CARDSYNC_TEST_PG_URL is unset";
      GTEST_SKIP() << "no test PostgreSQL (scripts/pg-test-server.sh start; export "
                      "CARDSYNC_TEST_PG_URL)";
    }
    url_ = *url;
    schema_ = "sd_" + std::to_string(getpid()) + "_" + GetParam().name;
    PgCatalog(url_, schema_).drop_schema();
  }
  void TearDown() override {
    if (!url_.empty() && !HasFailure()) {
      try {
        PgCatalog(url_, schema_).drop_schema();
      } catch (const std::runtime_error&) {  // NOLINT(bugprone-empty-catch): best effort
      }
    }
    SyncTest::TearDown();
  }

  SyncConfig engine_config() const {
    SyncConfig c = config();
    if (!url_.empty()) {
      c.postgres_url = url_;
      c.postgres_schema = schema_;
    }
    return c;
  }
  // 0 while the database or its tables do not exist yet.
  std::int64_t count(const std::string& sql) const {
    return url_.empty() ? count_or_zero(database(), sql) : pg_count_or_zero(url_, schema_, sql);
  }
  void expect_engine_at_truth(const UpstreamTruth& truth) {
    if (url_.empty()) {
      expect_at_truth(truth);
      return;
    }
    PgCatalog db(url_, schema_);
    const auto c = db.counts();
    EXPECT_EQ(static_cast<std::uint64_t>(c.cards), truth.cards);
    EXPECT_EQ(static_cast<std::uint64_t>(c.variants), truth.variants);
    EXPECT_EQ(db.checksum(), truth.checksum);
  }

 private:
  std::string url_, schema_;
};

TEST_P(Shutdown, ReleasesInFlightJobsAndTheRerunResumesFromCheckpoints) {
  const ShutdownCase& c = GetParam();
  const std::string& command = c.args.front();
  // Two sets of three pages each, worked in parallel. The added latency (and the pacing at
  // the plan's 500 requests a minute) keeps a set's job running for two more pages after its
  // first checkpoint, several hundred milliseconds, so the signal lands mid-set.
  auto options = sandbox_catalog(83, 1, 2, 60, 2);
  options.faults.latency = std::chrono::milliseconds(60);
  start_sandbox(options);
  const auto truth = control().truth();

  SyncConfig cfg = engine_config();
  cfg.mode = "incremental";  // as shipped: a set finished by the first process is not fetched
  cfg.page_size = 20;
  cfg.admin_on_loopback = command == "serve";
  if (command == "worker") {  // a worker plans nothing: it works what is queued
    auto seed = start_command(cfg, "enqueue", {"enqueue", "justtcg.games", "all"});
    auto seeded = wait(*seed, "enqueue");
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  }

  auto first = start_command(cfg, "first", c.args);
  ASSERT_TRUE(
      poll_until([&] { return count(kRunningWithCheckpoint) > 0; }, std::chrono::seconds(60)))
      << first->err_so_far();
  first->kill(c.signal);
  auto stopped = first->wait_for(std::chrono::seconds(30));
  ASSERT_TRUE(stopped.has_value()) << command << " did not stop on signal " << c.signal << "\n"
                                   << first->err_so_far();
  const std::string said = stopped->out + stopped->err;
  ASSERT_EQ(stopped->signal, 0) << said;
  EXPECT_EQ(stopped->exit_code, c.exit_code) << said;
  if (command == "serve") {
    EXPECT_THAT(stopped->out, HasSubstr("cardsync serve: stopped; in-flight jobs were released"));
  } else {
    EXPECT_THAT(stopped->out, HasSubstr("sync summary of this process"));
    EXPECT_THAT(stopped->out, HasSubstr(" released at shutdown"));
  }
  if (command == "run" && c.args.size() > 1) {
    EXPECT_THAT(stopped->out, HasSubstr("interrupted: in-flight jobs were released"));
  } else {
    EXPECT_THAT(said, Not(HasSubstr("interrupted")));
  }
  if (command == "run" || command == "worker") {
    EXPECT_EQ(lines_containing(stopped->err, "\"stopped\"").size(), 1U) << stopped->err;
  }

  // Nothing is left running or leased for a lease to expire; the set that was mid-way is
  // queued again with its checkpoint, no attempt spent, and nothing failed.
  EXPECT_EQ(count(kRunningOrLeased), 0);
  EXPECT_GT(count(kReleasedWithCheckpoint), 0);
  EXPECT_EQ(count("SELECT count(*) FROM sync_queue WHERE state = 'failed'"), 0);
  const std::int64_t committed = count("SELECT count(*) FROM cards");
  ASSERT_GT(committed, 0);
  ASSERT_LT(committed, static_cast<std::int64_t>(truth.cards));

  // The same catalog on a fresh sandbox counts only the rerun's requests (and, without the
  // latency, keeps it short).
  restart_sandbox();
  control().post("/_sandbox/faults?latency_ms=0");
  cfg.base_url = config().base_url;
  cfg.admin_on_loopback = false;
  auto rerun = run_once(cfg, "rerun");
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  expect_engine_at_truth(truth);
  // Resumed, not restarted: every card the first process committed was not asked for again.
  EXPECT_EQ(control().stats().served("cards"), truth.cards - static_cast<std::uint64_t>(committed));
  EXPECT_EQ(count("SELECT count(*) FROM sync_queue WHERE state <> 'done'"), 0);
}

INSTANTIATE_TEST_SUITE_P(Commands, Shutdown, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ShutdownCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace cardsync::integration
