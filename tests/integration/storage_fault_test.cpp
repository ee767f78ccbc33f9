// Acceptance (issue 18, storage faults): a disk that fills up or a database that turns
// read-only in the middle of a sync stops cardsync with one line naming the cause and exit
// 1, leaves the database intact (nothing reported done that was not stored), and once the
// cause is gone the next run ends exactly at the truth. A lost PostgreSQL connection is not
// such a fault: it is named in the log and ridden out.
//
// SQLite: tests run as root in a container, where chmod stops nothing and mounting may be
// forbidden, so the faults come from storage_fault_vfs.c, a SQLite VFS preloaded into
// cardsync that fails writes as ENOSPC or EROFS would while a trigger file exists.
// PostgreSQL: a trigger on the variants table raises the SQLSTATE the server sends for a full
// disk (53100) or a read-only database (25006); pg_terminate_backend cuts the connections.
#include <gmock/gmock.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "integration/poll.hpp"
#include "integration/postgres_fixture.hpp"

namespace cardsync::integration {
namespace {

using ::testing::HasSubstr;

struct StorageFault {
  std::string name;      // the test's suffix
  std::string cause;     // what the one stop line must say
  std::string vfs_word;  // SQLite: the fault the preloaded VFS injects
  std::string sqlstate;  // PostgreSQL: the condition the trigger raises
};

void PrintTo(const StorageFault& fault, std::ostream* out) {
  *out << fault.name;
}

std::string fault_name(const ::testing::TestParamInfo<StorageFault>& info) {
  return info.param.name;
}

const StorageFault kDiskFull{"DiskFull", "disk full", "disk-full", "disk_full"};
const StorageFault kReadOnly{"ReadOnly", "database is read-only", "read-only",
                             "read_only_sql_transaction"};

// A catalog whose sync takes a few seconds at the sandbox plan's pace, so a fault set a
// quarter of the way in lands mid-sync.
sandbox::SandboxOptions catalog() {
  auto options = sandbox_catalog(83, 2, 3, 60, 4);
  options.faults.latency = std::chrono::milliseconds(20);
  return options;
}

// The checks after the failed run: exit 1, one line naming the cause, and every "job done"
// line matched by a done row (nothing reported done before it was stored).
void expect_stopped_by(const ProcessExit& exit, const std::string& cause, std::int64_t done_rows) {
  EXPECT_EQ(exit.exit_code, 1) << exit.out << exit.err;
  const auto stops = lines_containing(exit.err, "cardsync: stopped: ");
  ASSERT_EQ(stops.size(), 1U) << exit.err;
  EXPECT_THAT(stops.front(), HasSubstr(cause));
  EXPECT_THAT(exit.out, HasSubstr("stopped: the storage cannot be used"));
  EXPECT_EQ(static_cast<std::int64_t>(lines_containing(exit.err, "\"msg\":\"job done\"").size()),
            done_rows);
}

// ---- SQLite -----------------------------------------------------------------------------------

class SqliteStorageFault : public SyncTest, public ::testing::WithParamInterface<StorageFault> {
 protected:
  std::filesystem::path fault_file() const { return dir().path() / "storage-fault"; }
  // The preloaded VFS, watching fault_file(). Under ASan the VFS library comes before the
  // sanitizer runtime in the load order, which ASan would otherwise refuse.
  std::vector<std::string> fault_env() const {
    const char* asan = std::getenv("ASAN_OPTIONS");
    return {
        std::string("LD_PRELOAD=") + CARDSYNC_STORAGE_FAULT_VFS,
        "CARDSYNC_TEST_STORAGE_FAULT=" + fault_file().string(),
        "ASAN_OPTIONS=" + std::string(asan != nullptr ? asan : "") + ":verify_asan_link_order=0"};
  }
};

TEST_P(SqliteStorageFault, MidSyncStopsNamingTheCauseAndARerunEndsAtTheTruth) {
  start_sandbox(catalog());
  const auto truth = control().truth();
  auto cfg = config();
  cfg.page_size = 20;
  cfg.lease_seconds = 5;  // the stopped run's leases expire quickly for the rerun
  auto run = start_command(cfg, "faulted", {"run", "--once"}, fault_env());

  const auto quarter = static_cast<std::int64_t>(truth.variants / 4);
  ASSERT_TRUE(poll_until(
      [&] { return count_or_zero(database(), "SELECT count(*) FROM variants") >= quarter; },
      std::chrono::seconds(60)))
      << run->err_so_far();
  std::ofstream(fault_file()) << GetParam().vfs_word << "\n";
  auto exit = wait(*run, "faulted");

  const std::string path = std::filesystem::weakly_canonical(database()).string();
  {
    SyncedCatalog db(database());
    EXPECT_EQ(db.texts("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    EXPECT_LT(db.counts().variants, static_cast<std::int64_t>(truth.variants));
    expect_stopped_by(
        exit, GetParam().cause + (GetParam().name == "DiskFull" ? " writing " : ": ") + path,
        db.scalar("SELECT count(*) FROM sync_queue WHERE state = 'done'"));
  }

  // The operator freed space / made the file writable again.
  std::filesystem::remove(fault_file());
  auto rerun = start_command(cfg, "rerun", {"run", "--once"}, fault_env());
  auto again = wait(*rerun, "rerun");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  expect_at_truth(truth);
  SyncedCatalog db(database());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM sync_queue WHERE state <> 'done'"), 0);
  EXPECT_EQ(db.texts("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

INSTANTIATE_TEST_SUITE_P(Faults, SqliteStorageFault, ::testing::Values(kDiskFull, kReadOnly),
                         fault_name);

// ---- PostgreSQL -------------------------------------------------------------------------------

// The test's conninfo with an application_name of its own, so it can find (and cut) the
// connections of its cardsync process alone on a server other tests share.
std::string tagged(const std::string& url, const std::string& application) {
  if (url.find("://") != std::string::npos) {
    return url + (url.find('?') != std::string::npos ? "&" : "?") +
           "application_name=" + application;
  }
  return url + " application_name=" + application;
}

class PostgresStorageFault : public PostgresSyncTest,
                             public ::testing::WithParamInterface<StorageFault> {};

TEST_P(PostgresStorageFault, MidSyncStopsNamingTheCauseAndARerunEndsAtTheTruth) {
  start_sandbox(catalog());
  const auto truth = control().truth();
  auto cfg = pg_config();
  cfg.page_size = 20;
  cfg.lease_seconds = 5;
  auto run = start_run(cfg, "faulted");

  const auto quarter = static_cast<std::int64_t>(truth.variants / 4);
  ASSERT_TRUE(poll_until([&] { return pg_count("SELECT count(*) FROM variants") >= quarter; },
                         std::chrono::seconds(60)))
      << run->err_so_far();
  PgCatalog admin(url(), schema());
  // What the server answers when it cannot extend a table's file, or when the database
  // takes no writes (a standby after a failover): the same SQLSTATE and wording.
  admin.scalar(
      "CREATE FUNCTION storage_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "RAISE EXCEPTION '" +
      std::string(GetParam().sqlstate == "disk_full"
                      ? "could not extend file: No space left on device"
                      : "cannot execute INSERT in a read-only transaction") +
      "' USING ERRCODE = '" + GetParam().sqlstate + "'; END $$");
  admin.scalar(
      "CREATE TRIGGER storage_fault BEFORE INSERT OR UPDATE ON variants "
      "FOR EACH ROW EXECUTE FUNCTION storage_fault()");
  auto exit = wait(*run, "faulted");
  expect_stopped_by(
      exit, GetParam().name == "DiskFull" ? "disk full on the PostgreSQL server" : GetParam().cause,
      admin.scalar("SELECT count(*) FROM sync_queue WHERE state = 'done'"));
  EXPECT_LT(admin.counts().variants, static_cast<std::int64_t>(truth.variants));

  admin.scalar("DROP TRIGGER storage_fault ON variants");
  auto again = run_once(cfg, "rerun");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  expect_pg_at_truth(truth);
  EXPECT_EQ(admin.scalar("SELECT count(*) FROM sync_queue WHERE state <> 'done'"), 0);
}

INSTANTIATE_TEST_SUITE_P(Faults, PostgresStorageFault, ::testing::Values(kDiskFull, kReadOnly),
                         fault_name);

using PostgresLostConnection = PostgresSyncTest;

// A lost connection passes: the pool reconnects, the log names it, the run ends at the truth.
TEST_F(PostgresLostConnection, CutConnectionsMidSyncAreNamedAndRiddenOut) {
  start_sandbox(catalog());
  const auto truth = control().truth();
  const std::string application = "cardsync-fault-" + std::to_string(::getpid());
  auto cfg = pg_config();
  cfg.postgres_url = tagged(url(), application);
  cfg.page_size = 20;
  auto run = start_run(cfg, "cut");

  const auto quarter = static_cast<std::int64_t>(truth.variants / 4);
  ASSERT_TRUE(poll_until([&] { return pg_count("SELECT count(*) FROM variants") >= quarter; },
                         std::chrono::seconds(60)))
      << run->err_so_far();
  PgCatalog admin(url(), schema());
  const std::string cut =
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '" +
      application + "'";
  // Cut every connection until one of the run's calls has met a cut one and said so (an idle
  // pooled connection learns it was cut only when next used).
  std::int64_t cuts = 0;
  const bool named = poll_until(
      [&] {
        cuts += admin.scalar(cut);
        return !lines_containing(run->err_so_far(), "connection to the database lost").empty() ||
               !run->running();
      },
      std::chrono::seconds(30), std::chrono::milliseconds(200));
  EXPECT_TRUE(named);
  EXPECT_GT(cuts, 0);

  auto exit = wait(*run, "cut");
  EXPECT_EQ(exit.exit_code, 0) << exit.out << exit.err;
  EXPECT_FALSE(lines_containing(exit.err, "connection to the database lost").empty()) << exit.err;
  expect_pg_at_truth(truth);
  EXPECT_EQ(admin.scalar("SELECT count(*) FROM sync_queue WHERE state <> 'done'"), 0);
}

}  // namespace
}  // namespace cardsync::integration
