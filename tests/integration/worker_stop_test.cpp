// `cardsync worker` as a service manager runs it: one line when it has started (storage open,
// providers loaded), and SIGTERM, the documented way to stop it, is a normal stop: exit 0 and
// no "interrupted" message, which would read as a failure in the service's journal.
#include <gmock/gmock.h>

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

TEST_F(WorkerStop, TheSummarySaysItCountsOnlyThisProcess) {
  start_sandbox(sandbox_catalog(7, 1, 1, 2, 1));
  auto run = run_once(config(), "once");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("sync summary of this process"));
  EXPECT_THAT(run.out, HasSubstr("cardsync queue stats"));
}

}  // namespace
}  // namespace cardsync::integration
