// Acceptance (issue 6): four `cardsync worker` processes share one PostgreSQL database and
// sync the sandbox catalog. The result is exactly the truth, every job completed once (one
// "job done" log line and one done row per job), and the jobs of a worker killed with
// SIGKILL mid-run are rescued by the others.
#include <gmock/gmock.h>
#include <rapidjson/document.h>

#include <csignal>
#include <map>
#include <set>
#include <sstream>

#include "integration/poll.hpp"
#include "integration/postgres_fixture.hpp"

namespace cardsync::integration {
namespace {

using MultiWorker = PostgresSyncTest;

// job_id -> number of "job done" lines in a JSON log.
void count_completions(const std::string& log, std::map<std::int64_t, int>& out) {
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    if (d.HasParseError() || !d.IsObject()) continue;
    auto msg = d.FindMember("msg");
    if (msg == d.MemberEnd()) msg = d.FindMember("message");
    if (msg == d.MemberEnd() || !msg->value.IsString() ||
        std::string(msg->value.GetString()) != "job done") {
      continue;
    }
    auto id = d.FindMember("job_id");
    if (id != d.MemberEnd() && id->value.IsInt64()) ++out[id->value.GetInt64()];
  }
}

TEST_F(MultiWorker, FourWorkersShareTheQueueAndRescueAKilledOne) {
  auto options = sandbox_catalog(61, 2, 3, 100, 5);
  options.faults.latency = std::chrono::milliseconds(40);  // a run long enough to kill into
  start_sandbox(options);
  const auto truth = control().truth();

  auto cfg = pg_config();
  cfg.page_size = 20;
  cfg.workers = 2;
  cfg.lease_seconds = 5;  // the killed worker's leases expire quickly

  auto seed = start_command(cfg, "enqueue", {"enqueue", "justtcg.games", "all"});
  auto seeded = wait(*seed, "enqueue");
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;

  std::vector<std::unique_ptr<ChildProcess>> workers;
  workers.reserve(4);
  workers.push_back(start_command(cfg, "worker0", {"worker"}));
  ChildProcess& victim = *workers[0];
  const std::string victim_owner = ":" + std::to_string(victim.pid());
  auto victim_leases = [&](const std::string& type_condition) {
    return pg_count("SELECT count(*) FROM sync_queue WHERE state = 'processing' AND " +
                    type_condition + " AND lease_owner LIKE '%" + victim_owner + "%'") > 0;
  };
  // The victim starts alone and is stopped (SIGSTOP) the moment it holds a card page's lease:
  // frozen, it keeps that lease whatever the others do, so the kill below always leaves a
  // leased job to rescue, however fast the others finish (a race with a running victim
  // could find it between jobs, or holding none of the catalog's few card jobs).
  bool frozen_with_a_lease = false;
  for (int tries = 0; tries < 20 && !frozen_with_a_lease; ++tries) {
    ASSERT_TRUE(poll_until([&] { return victim_leases("type = 'justtcg.cards'"); },
                           std::chrono::seconds(90)))
        << victim.err_so_far();
    victim.kill(SIGSTOP);
    // The lease may have been released in the instant between the check and the stop.
    frozen_with_a_lease = victim_leases("true");
    if (!frozen_with_a_lease) victim.kill(SIGCONT);
  }
  ASSERT_TRUE(frozen_with_a_lease) << victim.err_so_far();
  for (int i = 1; i < 4; ++i) {
    workers.push_back(start_command(cfg, "worker" + std::to_string(i), {"worker"}));
  }

  // Killed once the others are a third of the way in, its lease still held.
  ASSERT_TRUE(poll_until(
      [&] {
        return pg_count("SELECT count(*) FROM variants") >=
               static_cast<std::int64_t>(truth.variants / 3);
      },
      std::chrono::seconds(90)))
      << workers[1]->err_so_far();
  victim.kill(SIGKILL);
  ASSERT_TRUE(victim.wait_for(std::chrono::seconds(10)).has_value());

  ASSERT_TRUE(poll_until(
      [&] {
        return pg_count("SELECT count(*) FROM variants") ==
                   static_cast<std::int64_t>(truth.variants) &&
               pg_count("SELECT count(*) FROM sync_queue WHERE state <> 'done'") == 0 &&
               pg_count("SELECT count(*) FROM sync_queue") > 0;
      },
      std::chrono::seconds(120)))
      << workers[1]->err_so_far();

  std::map<std::int64_t, int> completions;
  count_completions(victim.err_so_far() + victim.out_so_far(), completions);
  for (size_t i = 1; i < workers.size(); ++i) {
    workers[i]->kill(SIGTERM);
    auto exit = workers[i]->wait_for(std::chrono::seconds(30));
    ASSERT_TRUE(exit.has_value()) << "worker " << i << " did not stop on SIGTERM";
    EXPECT_EQ(exit->exit_code, 0) << exit->err;
    count_completions(exit->err + exit->out, completions);
  }

  expect_pg_at_truth(truth);
  PgCatalog db(url(), schema());
  const auto jobs = db.jobs();
  std::set<std::pair<std::string, std::string>> keys;
  int missing_lines = 0;
  for (const auto& j : jobs) {
    EXPECT_EQ(j.state, "done") << j.type << " " << j.key;
    EXPECT_TRUE(keys.emplace(j.type, j.key).second) << "duplicate job " << j.type << " " << j.key;
    const int lines = completions.count(j.id) != 0U ? completions.at(j.id) : 0;
    EXPECT_LE(lines, 1) << "job " << j.id << " completed " << lines << " times";
    if (lines == 0) ++missing_lines;
  }
  // A completion the victim committed in the instant before it was killed may have no log
  // line; everything else has exactly one.
  EXPECT_LE(missing_lines, 2);
  EXPECT_GE(
      db.scalar("SELECT count(*) FROM sync_queue_errors WHERE message LIKE '%lease expired%'"), 1)
      << "the killed worker's leased jobs were rescued";
  EXPECT_GE(db.scalar("SELECT count(*) FROM sync_queue WHERE attempts >= 2"), 1);
}

}  // namespace
}  // namespace cardsync::integration
