// `cardsync worker` as a service manager runs it: one line when it has started (storage open,
// providers loaded), and SIGTERM, the documented way to stop it, is a normal stop: exit 0 and
// no "interrupted" message, which would read as a failure in the service's journal.
#include <gmock/gmock.h>

#include <sqlite3.h>

#include <csignal>

#include "integration/poll.hpp"
#include "integration/sync_fixture.hpp"

namespace cardsync::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using WorkerStop = SyncTest;

TEST_F(WorkerStop, SaysItStartedAndStopsQuietlyOnSigterm) {
  start_sandbox(sandbox_catalog(7, 1, 1, 2, 1));
  auto worker = start_command(config(), "worker", {"worker"});
  ASSERT_TRUE(
      poll_until([&] { return !lines_containing(worker->err_so_far(), "worker started").empty(); },
                 std::chrono::seconds(60)))
      << worker->err_so_far();
  worker->kill(SIGTERM);
  auto exit = worker->wait_for(std::chrono::seconds(30));
  ASSERT_TRUE(exit.has_value()) << "the worker did not stop on SIGTERM";
  EXPECT_EQ(exit->exit_code, 0) << exit->err;
  EXPECT_THAT(exit->out + exit->err, Not(HasSubstr("interrupted")));
  const auto started = lines_containing(exit->err, "worker started");
  ASSERT_EQ(started.size(), 1U) << exit->err;
  EXPECT_THAT(started[0], HasSubstr("\"storage\":\"sqlite\""));
  EXPECT_THAT(started[0], HasSubstr("\"providers\":\"justtcg\""));
  EXPECT_EQ(lines_containing(exit->err, "\"stopped\"").size(), 1U) << exit->err;
}

// A SIGUSR1 from outside (a log-rotation script's habit) must not take away the handling of
// the stop signals: the worker ignores it and still stops cleanly on SIGTERM.
TEST_F(WorkerStop, IgnoresAStraySigusr1AndStillStopsOnSigterm) {
  start_sandbox(sandbox_catalog(7, 1, 1, 2, 1));
  auto worker = start_command(config(), "worker", {"worker"});
  ASSERT_TRUE(
      poll_until([&] { return !lines_containing(worker->err_so_far(), "worker started").empty(); },
                 std::chrono::seconds(60)))
      << worker->err_so_far();
  worker->kill(SIGUSR1);
  worker->kill(SIGTERM);
  auto exit = worker->wait_for(std::chrono::seconds(30));
  ASSERT_TRUE(exit.has_value()) << "the worker did not stop on SIGTERM after a SIGUSR1";
  EXPECT_EQ(exit->signal, 0);
  EXPECT_EQ(exit->exit_code, 0) << exit->err;
  EXPECT_EQ(lines_containing(exit->err, "\"stopped\"").size(), 1U) << exit->err;
}

// The orderly stop waits for the batch's last write; a second signal ends that wait at once
// with 128 + the signal, as documented (docs/operations.md, "Stopping"). The test holds the
// database's write lock so the stop cannot finish before the second signal arrives.
TEST_F(WorkerStop, ASecondSignalEndsTheStopAtOnce) {
  auto options = sandbox_catalog(7, 1, 1, 60, 1);
  options.faults.latency = std::chrono::milliseconds(100);  // the set stays mid-way a while
  start_sandbox(options);
  auto cfg = config();
  cfg.page_size = 20;
  auto seed = start_command(cfg, "enqueue", {"enqueue", "justtcg.games", "all"});
  ASSERT_EQ(wait(*seed, "enqueue").exit_code, 0);
  auto worker = start_command(cfg, "worker", {"worker"});
  ASSERT_TRUE(poll_until(
      [&] {
        return count_or_zero(database(),
                             "SELECT count(*) FROM sync_queue WHERE type = 'justtcg.cards'"
                             " AND state = 'processing' AND cursor LIKE '%\"offset\"%'") > 0;
      },
      std::chrono::seconds(60)))
      << worker->err_so_far();
  // The in-flight job's release cannot be written while this is held (the worker waits up to
  // its 5 s busy timeout, far longer than the test takes to send the second signal).
  sqlite3* lock = nullptr;
  ASSERT_EQ(sqlite3_open(database().c_str(), &lock), SQLITE_OK);
  sqlite3_busy_timeout(lock, 10'000);  // the worker may be writing a page right now
  ASSERT_EQ(sqlite3_exec(lock, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  worker->kill(SIGINT);
  const bool stopping =
      poll_until([&] { return !lines_containing(worker->err_so_far(), "stopping").empty(); },
                 std::chrono::seconds(30));
  worker->kill(SIGINT);
  auto exit = worker->wait_for(std::chrono::seconds(30));
  sqlite3_exec(lock, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(lock);
  ASSERT_TRUE(stopping) << worker->err_so_far();
  ASSERT_TRUE(exit.has_value()) << "the second SIGINT did not end the worker";
  EXPECT_EQ(exit->exit_code, 128 + SIGINT) << exit->err;
  EXPECT_THAT(exit->out, Not(HasSubstr("sync summary")));
}

TEST_F(WorkerStop, TheSummarySaysItCountsOnlyThisProcess) {
  start_sandbox(sandbox_catalog(7, 1, 1, 2, 1));
  auto run = run_once(config(), "once");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("sync summary of this process"));
  EXPECT_THAT(run.out, HasSubstr("cardsync queue stats"));
}

}  // namespace
}  // namespace cardsync::integration
