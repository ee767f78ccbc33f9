// Acceptance (issue 15): a manifest for an API cardsync ships nothing for, written by following
// docs/writing-a-manifest.md and the API's reference only. The sandbox's invented Vault API
// (bearer token, Link-header paging, a bare-array body, decimal-string amounts in a nested
// array, RFC 3339 timestamps) is synced by tests/integration/manifests/vault.json through
// `cardsync run --once`, and every stored record equals the truth's canonical record exactly,
// with and without faults; the invalid cards are quarantined, nothing else.
//
// The database is read back through the storage plugin (the ABI's read_records and
// query_quarantine), so each backend is one parameter: SQLite, and PostgreSQL when the test
// server is up (scripts/pg-test-server.sh; CARDSYNC_TEST_PG_URL).
#include <gmock/gmock.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "integration/pg_catalog.hpp"
#include "integration/poll.hpp"
#include "integration/storage_backend.hpp"
#include "integration/sync_fixture.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"

namespace cardsync::integration {
namespace {

using ::testing::HasSubstr;

// Absent and null mean the same (docs/canonical-records.md): a stored core equals the
// truth's when every field the truth names has the same value (null for an absent one) and
// every other stored field is null.
bool same_core(const rapidjson::Value& stored, const rapidjson::Value& truth, std::string* why) {
  const rapidjson::Value null_value;
  for (const auto& field : truth.GetObject()) {
    auto it = stored.FindMember(field.name);
    const rapidjson::Value& value = it == stored.MemberEnd() ? null_value : it->value;
    if (value != field.value) {
      *why = std::string("field ") + field.name.GetString();
      return false;
    }
  }
  for (const auto& field : stored.GetObject()) {
    if (!truth.HasMember(field.name) && !field.value.IsNull()) {
      *why = std::string("extra field ") + field.name.GetString();
      return false;
    }
  }
  return true;
}

const std::map<std::string, cs_record_kind>& kinds() {
  static const std::map<std::string, cs_record_kind> k{{"game", CS_RECORD_GAME},
                                                       {"set", CS_RECORD_SET},
                                                       {"card", CS_RECORD_CARD},
                                                       {"variant", CS_RECORD_VARIANT}};
  return k;
}

class VaultSync : public SyncTest, public ::testing::WithParamInterface<StorageBackend> {
 protected:
  void SetUp() override {
    if (GetParam().name != "postgres") return;
    if (!test_postgres_url()) {
      if (postgres_required()) FAIL() << "CARDSYNC_REQUIRE_POSTGRES=1 but no CARDSYNC_TEST_PG_URL";
      GTEST_SKIP() << "no test PostgreSQL (scripts/pg-test-server.sh start; export "
                      "CARDSYNC_TEST_PG_URL)";
    }
    PgCatalog(*test_postgres_url(), test_schema("vault_")).drop_schema();
  }
  void TearDown() override {
    if (GetParam().name == "postgres" && test_postgres_url() && !HasFailure()) {
      PgCatalog(*test_postgres_url(), test_schema("vault_")).drop_schema();
    }
    SyncTest::TearDown();
  }

  void start_vault(std::uint32_t sets, std::uint32_t cards_per_set, double invalid_rate,
                   const sandbox::FaultOptions& faults = {}) {
    auto options = sandbox_catalog(31, 1, 1, 1, 1, invalid_rate);
    options.vault.shape = {sets, cards_per_set};
    options.faults = faults;
    start_sandbox(options);
  }

  // The integration tests' config (shortened timings) with the Vault manifest as the only
  // provider, as the tutorial's step 1 writes it, and the backend under test as the storage.
  std::filesystem::path write_config(const std::string& name) const {
    rapidjson::Document providers(rapidjson::kObjectType);
    auto& a = providers.GetAllocator();
    // config().base_url is the sandbox's JustTCG root, "<sandbox>/v1".
    std::string base = config().base_url;
    base = base.substr(0, base.rfind("/v1")) + "/vault/v1";
    const std::string manifest =
        std::string(CARDSYNC_SOURCE_DIR) + "/tests/integration/manifests/vault.json";
    rapidjson::Value vault(rapidjson::kObjectType);
    vault.AddMember("plugin", "rest", a);
    vault.AddMember("manifest", rapidjson::Value(manifest.c_str(), a), a);
    vault.AddMember("base_url", rapidjson::Value(base.c_str(), a), a);
    vault.AddMember("token", "vault_sandbox", a);
    vault.AddMember("page_size", 25, a);
    providers.AddMember("vault", vault, a);
    auto path = dir() / (name + ".json");
    write_config_for(config().to_json(), providers, GetParam(), dir().path(), path);
    return path;
  }

  std::unique_ptr<ChildProcess> start_vault_run(const std::string& name) {
    return std::make_unique<ChildProcess>(
        CARDSYNC_BINARY,
        std::vector<std::string>{"--config", write_config(name).string(), "run", "--once"},
        dir().path(), name);
  }

  struct Stored {
    std::map<cs_record_kind, std::vector<queue::StoredRecordRow>> records;
    std::vector<queue::StoredQuarantine> quarantine;
    std::vector<queue::StoredJob> jobs;
  };
  Stored stored() const {
    plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
    auto lib = reg.load_file(GetParam().plugin_file);
    plugin::PluginStorage storage(std::shared_ptr<plugin::Instance>(
        plugin::Instance::create(lib, GetParam().section(dir().path()))));
    Stored out;
    for (const auto& [name, kind] : kinds()) {
      sdk::RecordQuery q;
      q.kind = kind;
      out.records[kind] = storage.read_records(q);
    }
    out.quarantine = storage.query_quarantine({});
    out.jobs = storage.list_jobs(sdk::JobQuery{});
    return out;
  }

  // Every stored record is the truth's, field for field, and none is missing or extra; the
  // quarantine holds exactly the invalid cards, each with the path of its defect; every job
  // is done.
  void expect_at_truth(const Stored& db) {
    const auto truth = control().get("/_sandbox/truth/vault?items=1&invalid=1");
    for (const auto& [name, kind] : kinds()) {
      std::map<std::string, const queue::StoredRecordRow*> rows;
      for (const auto& row : db.records.at(kind)) {
        EXPECT_EQ(row.source, "vault") << name << " " << row.key;
        rows[row.key] = &row;
      }
      const auto& expected = truth["records"][name.c_str()];
      EXPECT_EQ(rows.size(), expected.Size()) << name << " records";
      for (const auto& record : expected.GetArray()) {
        const std::string key = record["key"].GetString();
        auto it = rows.find(key);
        if (it == rows.end()) {
          ADD_FAILURE() << name << " " << key << " missing";
          continue;
        }
        EXPECT_EQ(it->second->parent_key, record["parent_key"].GetString()) << name << " " << key;
        rapidjson::Document core;
        core.Parse(it->second->core_json.c_str());
        std::string why;
        EXPECT_TRUE(same_core(core, record["core"], &why))
            << name << " " << key << ": " << why << "\n  stored " << it->second->core_json;
      }
    }
    std::map<std::string, std::string> invalid;  // card id -> path
    for (const auto& item : truth["invalid_items"].GetArray()) {
      invalid[item["id"].GetString()] = item["path"].GetString();
    }
    std::set<std::string> quarantined;
    for (const auto& q : db.quarantine) {
      rapidjson::Document raw;
      raw.Parse(q.raw_item.c_str());
      ASSERT_FALSE(raw.HasParseError()) << q.raw_item;
      const std::string id = raw["id"].GetString();
      auto it = invalid.find(id);
      ASSERT_NE(it, invalid.end()) << "quarantined but valid: " << id;
      EXPECT_EQ(q.json_path, it->second) << id << ": " << q.reason;
      EXPECT_EQ(q.job_type, "vault.cards");
      quarantined.insert(id);
    }
    EXPECT_EQ(quarantined.size(), invalid.size());
    for (const auto& job : db.jobs) {
      EXPECT_EQ(job.state, sdk::JobState::done) << job.type << " " << job.key;
    }
  }
};

TEST_P(VaultSync, TheManifestSyncsExactlyToTheTruthAndASecondRunChangesNothing) {
  // 4 sets (the last announced, with no cards) of 60 cards, pages of 25: 3 pages a set.
  start_vault(4, 60, 0.04);
  const auto counts = control().get("/_sandbox/truth/vault");
  ASSERT_GT(counts["invalid"]["cards"].GetUint64(), 0U) << "the seed must produce invalid cards";

  auto run = start_vault_run("first");
  auto first = wait(*run, "first");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  expect_at_truth(stored());
  EXPECT_THAT(first.out, HasSubstr("service vault: "));

  // Links followed, nothing fetched twice: one sets page, three card pages for each released
  // set, one empty page for the announced one.
  const auto stats = control().stats();
  EXPECT_EQ(stats.route_total("GET /vault/v1/sets"), 1U);
  EXPECT_EQ(stats.route_total("GET /vault/v1/sets/{code}/cards"), 10U);
  EXPECT_EQ(stats.total(), 11U);

  auto again = start_vault_run("second");
  auto second = wait(*again, "second");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  auto after = stored();
  expect_at_truth(after);
  for (const auto& row : after.records[CS_RECORD_VARIANT]) EXPECT_EQ(row.version, 1) << row.key;
}

TEST_P(VaultSync, AnIncrementalRunFetchesTheChangedCardsAndEndsAtTheNewTruth) {
  start_vault(4, 60, 0.0);
  auto run = start_vault_run("first");
  auto first = wait(*run, "first");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  expect_at_truth(stored());

  control().post("/_sandbox/mutate?fraction=0.05");
  control().post("/_sandbox/reset-stats");
  // Mutations stamp the server's now, later than every generated updated_at.
  const auto truth = control().get("/_sandbox/truth/vault?items=1");
  std::set<std::string> changed;
  for (const auto& v : truth["records"]["variant"].GetArray()) {
    if (v["core"]["last_updated"].GetInt64() >= sandbox::VaultCatalog::kEpoch) {
      changed.insert(v["parent_key"].GetString());
    }
  }
  ASSERT_FALSE(changed.empty());

  auto again = start_vault_run("second");
  auto second = wait(*again, "second");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  auto db = stored();
  expect_at_truth(db);
  // Each set's request names the newest updated_at seen, and the API lists the cards at or
  // after it: the changed ones, plus at most that newest card again per set.
  const auto stats = control().stats();
  EXPECT_GE(stats.served("cards"), changed.size());
  EXPECT_LE(stats.served("cards"), changed.size() + 3);
  std::size_t updated = 0;
  for (const auto& row : db.records[CS_RECORD_CARD]) updated += row.version > 1 ? 1 : 0;
  EXPECT_EQ(updated, changed.size()) << "a changed offer moves its card's updated_at";
}

TEST_P(VaultSync, FaultyUpstreamStillEndsAtTheTruth) {
  sandbox::FaultOptions faults;
  faults.fail_rate = 0.15;
  faults.throttle_rate = 0.05;
  faults.truncate_rate = 0.06;
  faults.repeat_rate = 0.25;
  faults.retry_after = std::chrono::seconds(1);
  start_vault(5, 90, 0.04, faults);

  auto run = start_vault_run("run");
  // A 4 s outage once cards are being stored: the breaker holds the sync back, and each
  // cards job resumes from its checkpointed next link.
  ASSERT_TRUE(
      poll_until([&] { return control().stats().served("cards") > 60; }, std::chrono::seconds(60)))
      << run->err_so_far();
  control().outage(4);
  auto exit = wait(*run, "run");
  ASSERT_EQ(exit.exit_code, 0) << exit.out << exit.err;
  expect_at_truth(stored());

  const auto stats = control().stats();
  EXPECT_GT(stats.fault("server_error"), 0U);
  EXPECT_GT(stats.fault("repeat"), 0U);
  EXPECT_GT(stats.fault("truncated"), 0U);
  EXPECT_GE(stats.fault("outage"), 1U) << "the outage started after the sync's last request";
}

INSTANTIATE_TEST_SUITE_P(Storage, VaultSync, ::testing::ValuesIn(storage_backends("vault_")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cardsync::integration
