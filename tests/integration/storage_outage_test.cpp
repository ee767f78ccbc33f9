// Acceptance (issue 6): the PostgreSQL server is stopped for 20 s in the middle of a sync.
// The batch sink keeps its results and retries, nothing is marked done early, and once the
// server is back the same run ends exactly at the truth. The test runs its own private
// cluster (scripts/pg-test-server.sh), so stopping it disturbs no other test.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "integration/poll.hpp"
#include "integration/postgres_fixture.hpp"

namespace cardsync::integration {
namespace {

// A port nobody listens on right now, below Linux's ephemeral range (32768-60999): while the
// server is down cardsync keeps reconnecting, and an ephemeral source port equal to the
// server's would connect to itself and leave a TIME-WAIT socket that blocks the restart.
int free_port() {
  const int start = getpid() % 12000;
  for (int tries = 0; tries < 200; ++tries) {
    const int port = 20000 + (start + tries * 37) % 12000;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    const bool unused = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (unused) return port;
  }
  return 0;
}

// One private throwaway cluster, removed when the test ends.
class PrivateServer {
 public:
  PrivateServer()
      : dir_("/tmp/cardsync-pg-outage-" + std::to_string(getpid())),
        port_(std::to_string(free_port())) {}
  ~PrivateServer() { script("stop"); }
  PrivateServer(const PrivateServer&) = delete;
  PrivateServer& operator=(const PrivateServer&) = delete;

  bool start() { return script("start"); }
  bool halt() { return script("halt"); }
  std::string url() const {
    return "host=127.0.0.1 port=" + port_ + " user=postgres dbname=postgres";
  }

 private:
  bool script(const std::string& command) {
    const std::string cmd = std::string(CARDSYNC_SOURCE_DIR) + "/scripts/pg-test-server.sh " +
                            command + " " + dir_ + " " + port_ + " 2>&1";
    return std::system(cmd.c_str()) == 0;  // NOLINT(cert-env33-c): our own script, fixed args
  }
  std::string dir_, port_;
};

using StorageOutage = PostgresSyncTest;

TEST_F(StorageOutage, DatabaseDownForTwentySecondsMidSyncEndsAtTheTruth) {
  PrivateServer server;
  ASSERT_TRUE(server.start()) << "cannot start a private PostgreSQL cluster";

  auto options = sandbox_catalog(71, 2, 3, 100, 5);
  options.faults.latency = std::chrono::milliseconds(30);
  start_sandbox(options);
  const auto truth = control().truth();

  auto cfg = pg_config();
  cfg.postgres_url = server.url();
  cfg.postgres_schema = "cardsync";
  cfg.page_size = 20;
  auto run = start_run(cfg, "run");
  auto count = [&](const std::string& sql) {
    return pg_count_or_zero(server.url(), "cardsync", sql);
  };

  ASSERT_TRUE(poll_until(
      [&] {
        return count("SELECT count(*) FROM variants") >=
               static_cast<std::int64_t>(truth.variants / 3);
      },
      std::chrono::seconds(60)))
      << run->err_so_far();
  const auto done_before = count("SELECT count(*) FROM sync_queue WHERE state = 'done'");
  ASSERT_TRUE(server.halt());

  // The outage itself: twenty seconds of real time, during which the run must keep going.
  std::this_thread::sleep_for(std::chrono::seconds(20));
  ASSERT_TRUE(run->running()) << "cardsync gave up during the outage:\n" << run->err_so_far();
  ASSERT_TRUE(server.start());

  auto exit = wait(*run, "run");
  EXPECT_EQ(exit.exit_code, 0) << exit.err;
  EXPECT_FALSE(lines_containing(exit.err, "will retry").empty() &&
               lines_containing(exit.err, "try again").empty())
      << "the outage left no trace of retries:\n"
      << exit.err;

  PgCatalog db(server.url(), "cardsync");
  const auto c = db.counts();
  EXPECT_EQ(static_cast<std::uint64_t>(c.games), truth.games);
  EXPECT_EQ(static_cast<std::uint64_t>(c.sets), truth.sets);
  EXPECT_EQ(static_cast<std::uint64_t>(c.cards), truth.cards);
  EXPECT_EQ(static_cast<std::uint64_t>(c.variants), truth.variants);
  EXPECT_EQ(db.checksum(), truth.checksum);
  EXPECT_GE(db.scalar("SELECT count(*) FROM sync_queue WHERE state = 'done'"), done_before);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM sync_queue WHERE state <> 'done'"), 0);
  // Nothing was reported done before it was stored: one "job done" line per done row.
  EXPECT_EQ(static_cast<std::int64_t>(lines_containing(exit.err, "\"msg\":\"job done\"").size()),
            db.scalar("SELECT count(*) FROM sync_queue WHERE state = 'done'"));
}

}  // namespace
}  // namespace cardsync::integration
