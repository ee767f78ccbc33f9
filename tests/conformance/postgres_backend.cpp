// The PostgreSQL backend of the conformance suite, against the server named by
// CARDSYNC_TEST_PG_URL (scripts/pg-test-server.sh starts a throwaway one). Each test gets its
// own schema, so tests and concurrent test processes never see each other's rows.
//
// Always listed, so the set of tests does not depend on the environment of the build that
// discovered them: without CARDSYNC_TEST_PG_URL the tests are skipped, unless
// CARDSYNC_REQUIRE_POSTGRES=1 (CI), where a missing or unreachable server fails every one.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "storage_backend.hpp"

namespace cardsync::conformance {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

bool postgres_required() {
  return env("CARDSYNC_REQUIRE_POSTGRES") == "1";
}

using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Conn connect(const std::string& url) {
  Conn conn(PQconnectdb(url.c_str()), &PQfinish);
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);  // "schema does not exist, skipping"
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error(
        "PostgreSQL at CARDSYNC_TEST_PG_URL is unreachable (start one with "
        "scripts/pg-test-server.sh start): " +
        std::string(PQerrorMessage(conn.get())));
  }
  return conn;
}

void exec(PGconn* conn, const std::string& sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn, sql.c_str()), &PQclear);
  const ExecStatusType s = PQresultStatus(r.get());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
    throw std::runtime_error("PostgreSQL: " + sql + ": " + PQerrorMessage(conn));
  }
}

// Drops this process's earlier schemas and those of test processes that no longer run (a
// crashed run leaves its schema behind), then returns a fresh name for `scratch`.
std::string fresh_schema(PGconn* conn, const std::string& scratch) {
  const std::string prefix = "conformance_";
  std::unique_ptr<PGresult, decltype(&PQclear)> r(
      PQexec(conn, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'conformance\\_%\\_%'"),
      &PQclear);
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    const std::string name = PQgetvalue(r.get(), i, 0);
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    const bool gone = pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    if (pid == getpid() || gone) exec(conn, "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
  }
  // The scratch directory is unique per process and test; a hash keeps the name short.
  const size_t h = std::hash<std::string>{}(scratch)&0xffffffffffULL;
  return prefix + std::to_string(getpid()) + "_" + std::to_string(h);
}

std::string config_json(const std::string& url, const std::string& schema) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("url");
  w.String(url.c_str());
  w.Key("schema");
  w.String(schema.c_str());
  // The concurrency cases run 16 and 32 threads: let each have a connection.
  w.Key("pool_size");
  w.Int(16);
  w.EndObject();
  return buf.GetString();
}

void skip_without_postgres() {
  GTEST_SKIP() << "CARDSYNC_TEST_PG_URL is not set: PostgreSQL conformance skipped (set it, or "
                  "run scripts/test.sh, which starts a throwaway server)";
}

}  // namespace

StorageBackend postgres_backend() {
  StorageBackend b;
  b.name = "postgres";
  b.plugin = "postgres";
  const std::string url = env("CARDSYNC_TEST_PG_URL");
  if (url.empty() && !postgres_required()) {
    // A placeholder that marks the test skipped in SetUp, before its body runs; the SQLite
    // plugin only gives SetUp something to open.
    b.plugin = "sqlite";
    b.fresh_config = [](const std::string& scratch) {
      skip_without_postgres();
      return R"({"path":")" + scratch + R"(/skipped.db"})";
    };
    b.make_schema_newer = [](const std::string&) {};
    return b;
  }
  b.fresh_config = [url](const std::string& scratch) {
    if (url.empty()) {
      throw std::runtime_error(
          "CARDSYNC_REQUIRE_POSTGRES=1 but CARDSYNC_TEST_PG_URL is not set: the PostgreSQL "
          "conformance suite cannot run (scripts/pg-test-server.sh start; export "
          "CARDSYNC_TEST_PG_URL=\"$(scripts/pg-test-server.sh url)\")");
    }
    Conn conn = connect(url);
    const std::string schema = fresh_schema(conn.get(), scratch);
    exec(conn.get(), "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    return config_json(url, schema);
  };
  b.make_schema_newer = [url](const std::string& config) {
    rapidjson::Document doc;
    doc.Parse(config.c_str());
    const std::string schema = doc["schema"].GetString();
    Conn conn = connect(url);
    exec(conn.get(), "UPDATE \"" + schema + "\".cardsync_schema SET version = version + 1");
  };
  return b;
}

// ---- PostgreSQL only: job notifications (wait_for_jobs) ------------------------------------
// Not part of the engine-neutral suite: a storage may lack wait_for_jobs (the host polls).
// Each instance stands for a cardsync process: its own pool and its own LISTEN connection.

class PostgresJobNotifications : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = env("CARDSYNC_TEST_PG_URL");
    if (url_.empty()) {
      if (postgres_required())
        FAIL() << "CARDSYNC_REQUIRE_POSTGRES=1 but CARDSYNC_TEST_PG_URL is unset";
      GTEST_SKIP() << "CARDSYNC_TEST_PG_URL is not set";
    }
    Conn conn = connect(url_);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    schema_ = fresh_schema(conn.get(), std::string("notify-") + info->name());
    other_schema_ = schema_ + "_other";
    for (const auto& s : {schema_, other_schema_}) {
      exec(conn.get(), "DROP SCHEMA IF EXISTS \"" + s + "\" CASCADE");
    }
    registry_ = std::make_unique<plugin::Registry>(std::make_shared<plugin::HostServices>(nullptr));
    lib_ = registry_->load_file(std::filesystem::path(CARDSYNC_PLUGIN_DIR) /
                                "cardsync-storage-postgres.so");
    waiter_ = open(schema_);
    writer_ = open(schema_);
    stranger_ = open(other_schema_);
    ASSERT_TRUE(waiter_->notifies_jobs());
    // The first wait opens the LISTEN connection; nothing has happened yet.
    EXPECT_FALSE(waiter_->wait_for_jobs(0));
  }

  std::unique_ptr<plugin::PluginStorage> open(const std::string& schema) {
    auto s = std::make_unique<plugin::PluginStorage>(std::shared_ptr<plugin::Instance>(
        plugin::Instance::create(lib_, config_json(url_, schema))));
    s->migrate();
    return s;
  }

  static sdk::JobSpec job(std::string_view key) {
    return sdk::JobSpec{"t.wake", key, "", "req", kNow, 3};
  }

  // Long enough for a notification already committed to arrive; short enough to keep the
  // "nothing arrives" cases cheap. The positive cases wait up to 10 s and return at once.
  static constexpr int64_t kQuietMs = 250;
  static constexpr int64_t kWakeMs = 10'000;
  static constexpr int64_t kNow = 1'700'000'000'000;

  std::string url_, schema_, other_schema_;
  std::unique_ptr<plugin::Registry> registry_;
  std::shared_ptr<const plugin::Library> lib_;
  std::unique_ptr<plugin::PluginStorage> waiter_, writer_, stranger_;
};

TEST_F(PostgresJobNotifications, EnqueueByAnotherProcessWakesTheWaiter) {
  EXPECT_FALSE(waiter_->wait_for_jobs(kQuietMs)) << "nothing was enqueued";
  writer_->enqueue({job("a")}, kNow);
  EXPECT_TRUE(waiter_->wait_for_jobs(kWakeMs));
  // One enqueue, one wake-up: the notification is consumed.
  EXPECT_FALSE(waiter_->wait_for_jobs(kQuietMs));
  // A duplicate makes nothing new claimable.
  EXPECT_TRUE(writer_->enqueue({job("a")}, kNow).front().duplicate);
  EXPECT_FALSE(waiter_->wait_for_jobs(kQuietMs));
}

TEST_F(PostgresJobNotifications, AnotherSchemaDoesNotWakeTheWaiter) {
  stranger_->enqueue({job("a")}, kNow);
  EXPECT_FALSE(waiter_->wait_for_jobs(kQuietMs));
  writer_->enqueue({job("a")}, kNow);
  EXPECT_TRUE(waiter_->wait_for_jobs(kWakeMs));
}

TEST_F(PostgresJobNotifications, RetriesRescuesAndFollowUpJobsWakeButCompletionsAndRollbacksDoNot) {
  writer_->enqueue({job("a"), job("b")}, kNow);
  EXPECT_TRUE(waiter_->wait_for_jobs(kWakeMs));
  auto claimed = writer_->claim(sdk::ClaimRequest{2, "w", "tok", kNow, kNow + 1000, {}});
  ASSERT_EQ(claimed.size(), 2u);

  sdk::Transition done{sdk::Action::complete, claimed[0].id, "tok", "", kNow, "", 0, "", kNow};
  EXPECT_TRUE(writer_->transition({done}).front());
  EXPECT_FALSE(waiter_->wait_for_jobs(kQuietMs)) << "a completion frees no work";

  sdk::Transition retry{sdk::Action::retry, claimed[1].id, "tok", "", kNow, "503", 503, "", kNow};
  EXPECT_TRUE(writer_->transition({retry}).front());
  EXPECT_TRUE(waiter_->wait_for_jobs(kWakeMs));

  sdk::WriteBatch bad;
  bad.now_ms = kNow;
  bad.jobs = {job("follow"), sdk::JobSpec{"", "no-type", "", "", kNow, 3}};
  EXPECT_THROW(writer_->write_batch(bad), queue::StorageError);
  EXPECT_FALSE(waiter_->wait_for_jobs(kQuietMs)) << "a rolled-back enqueue must not wake";

  bad.jobs.pop_back();
  writer_->write_batch(bad);
  EXPECT_TRUE(waiter_->wait_for_jobs(kWakeMs));

  auto again = writer_->claim(sdk::ClaimRequest{2, "w", "tok2", kNow, kNow + 1000, {}});
  ASSERT_EQ(again.size(), 2u);
  EXPECT_FALSE(waiter_->wait_for_jobs(kQuietMs));
  EXPECT_EQ(writer_->rescue_expired(kNow + 2000).requeued, 2);
  EXPECT_TRUE(waiter_->wait_for_jobs(kWakeMs));
}

}  // namespace cardsync::conformance
