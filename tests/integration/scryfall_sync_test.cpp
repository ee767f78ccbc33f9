// Acceptance (issue 9): the Scryfall provider, built against the SDK package only, syncs the
// sandbox's Scryfall catalog through the same pipeline as JustTCG (`cardsync run --once`)
// and ends exactly at the truth (GET /_sandbox/truth/scryfall), with and without faults,
// quarantining exactly the invalid cards.
//
// The database is read back through the storage plugin itself (the ABI's read_records and
// query_quarantine), never with engine SQL, so every check is the same for each backend
// (integration/storage_backend.hpp: a backend is its plugin and a config section for a
// fresh database).
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

// GET /_sandbox/truth/scryfall?invalid=1
struct ScryfallTruth {
  std::uint64_t sets = 0, cards = 0, variants = 0, priced = 0, invalid_cards = 0;
  std::string checksum;
  std::map<std::string, std::string> invalid;  // card id -> JSON path of its defect
};

ScryfallTruth scryfall_truth(const SandboxControl& control) {
  auto doc = control.get("/_sandbox/truth/scryfall?invalid=1");
  ScryfallTruth t;
  t.sets = doc["sets"].GetUint64();
  t.cards = doc["cards"].GetUint64();
  t.variants = doc["variants"].GetUint64();
  t.priced = doc["priced"].GetUint64();
  t.checksum = doc["checksum"].GetString();
  t.invalid_cards = doc["invalid"]["cards"].GetUint64();
  for (const auto& item : doc["invalid_items"].GetArray()) {
    t.invalid[item["id"].GetString()] = item["path"].GetString();
  }
  return t;
}

// What the sync stored, read through the storage plugin.
struct StoredCatalog {
  std::map<cs_record_kind, std::vector<queue::StoredRecordRow>> records;
  std::vector<queue::StoredQuarantine> quarantine;
  std::vector<queue::StoredJob> jobs;

  std::size_t count(cs_record_kind kind) const {
    auto it = records.find(kind);
    return it == records.end() ? 0 : it->second.size();
  }
  // The truth's checksum recomputed from the variants (README of the sandbox): key
  // "<card id>/<finish>", card id = parent_key, price and currency from core_json.
  std::string checksum(std::uint64_t* priced) const {
    std::uint64_t sum = 0;
    *priced = 0;
    auto it = records.find(CS_RECORD_VARIANT);
    if (it == records.end()) return "none";
    for (const auto& row : it->second) {
      rapidjson::Document core;
      core.Parse(row.core_json.c_str());
      std::string line = row.parent_key + "|" + row.key.substr(row.key.rfind('/') + 1) + "|";
      if (core["price_cents"].IsInt64()) {
        line += std::string(core["currency"].GetString()) + "|" +
                std::to_string(core["price_cents"].GetInt64());
        ++*priced;
      } else {
        line += "|";
      }
      sum += fnv1a64(line);
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(sum));
    return hex;
  }
};

class ScryfallSync : public SyncTest, public ::testing::WithParamInterface<StorageBackend> {
 protected:
  void SetUp() override {
    if (GetParam().name != "postgres") return;
    if (!test_postgres_url()) {
      if (postgres_required()) FAIL() << "CARDSYNC_REQUIRE_POSTGRES=1 but no CARDSYNC_TEST_PG_URL";
      GTEST_SKIP() << "no test PostgreSQL (scripts/pg-test-server.sh start; export "
                      "CARDSYNC_TEST_PG_URL)";
    }
    PgCatalog(*test_postgres_url(), test_schema("scry_")).drop_schema();
  }
  void TearDown() override {
    if (GetParam().name == "postgres" && test_postgres_url() && !HasFailure()) {
      PgCatalog(*test_postgres_url(), test_schema("scry_")).drop_schema();
    }
    SyncTest::TearDown();
  }

  void start_scryfall(std::uint32_t sets, std::uint32_t cards_per_set, std::uint32_t page_size,
                      double invalid_rate, const sandbox::FaultOptions& faults = {}) {
    auto options = sandbox_catalog(21, 1, 1, 1, 1, invalid_rate);
    options.scryfall = {sets, cards_per_set, page_size};
    options.faults = faults;
    start_sandbox(options);
  }

  // The integration tests' config (shortened timings, log as JSON) with Scryfall as the only
  // provider and the backend under test as the storage.
  std::filesystem::path write_config(const std::string& name) const {
    rapidjson::Document providers(rapidjson::kObjectType);
    auto& a = providers.GetAllocator();
    // config().base_url is the sandbox's JustTCG root, "<sandbox>/v1".
    std::string base = config().base_url;
    base = base.substr(0, base.rfind("/v1")) + "/scryfall";
    rapidjson::Value scryfall(rapidjson::kObjectType);
    scryfall.AddMember("base_url", rapidjson::Value(base.c_str(), a), a);
    scryfall.AddMember("user_agent", "cardsync-integration-test/1 (ci@example.com)", a);
    providers.AddMember("scryfall", scryfall, a);
    auto path = dir() / (name + ".json");
    write_config_for(config().to_json(), providers, GetParam(), dir().path(), path);
    return path;
  }

  std::unique_ptr<ChildProcess> start_scryfall_run(const std::string& name) {
    return std::make_unique<ChildProcess>(
        CARDSYNC_BINARY,
        std::vector<std::string>{"--config", write_config(name).string(), "run", "--once"},
        dir().path(), name);
  }

  StoredCatalog stored() const {
    plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
    auto lib = reg.load_file(GetParam().plugin_file);
    plugin::PluginStorage storage(std::shared_ptr<plugin::Instance>(
        plugin::Instance::create(lib, GetParam().section(dir().path()))));
    StoredCatalog out;
    for (auto kind : {CS_RECORD_GAME, CS_RECORD_SET, CS_RECORD_CARD, CS_RECORD_VARIANT}) {
      sdk::RecordQuery q;
      q.kind = kind;
      out.records[kind] = storage.read_records(q);
    }
    out.quarantine = storage.query_quarantine({});
    out.jobs = storage.list_jobs(sdk::JobQuery{});
    return out;
  }

  void expect_at_scryfall_truth(const ScryfallTruth& truth, const StoredCatalog& db) {
    EXPECT_EQ(db.count(CS_RECORD_GAME), 1U);
    EXPECT_EQ(db.count(CS_RECORD_SET), truth.sets);
    EXPECT_EQ(db.count(CS_RECORD_CARD), truth.cards);
    EXPECT_EQ(db.count(CS_RECORD_VARIANT), truth.variants);
    std::uint64_t priced = 0;
    EXPECT_EQ(db.checksum(&priced), truth.checksum);
    EXPECT_EQ(priced, truth.priced);
    for (const auto& [kind, rows] : db.records) {
      for (const auto& row : rows) EXPECT_EQ(row.source, "scryfall") << row.key;
    }
    for (const auto& job : db.jobs) {
      EXPECT_EQ(job.state, sdk::JobState::done) << job.type << " " << job.key;
    }
  }

  // The quarantine holds exactly the invalid cards (a card may be stored twice when its
  // page was fetched twice), each with the rule it broke and where.
  void expect_quarantined_exactly(const ScryfallTruth& truth, const StoredCatalog& db) {
    std::set<std::string> seen;
    for (const auto& q : db.quarantine) {
      rapidjson::Document raw;
      raw.Parse(q.raw_item.c_str());
      ASSERT_FALSE(raw.HasParseError()) << q.raw_item;
      const std::string id = raw["id"].GetString();
      auto it = truth.invalid.find(id);
      ASSERT_NE(it, truth.invalid.end()) << "quarantined but valid: " << id;
      EXPECT_EQ(q.json_path, it->second);
      EXPECT_THAT(q.reason, HasSubstr(it->second == "/name" ? "required" : "type"));
      EXPECT_EQ(q.job_type, "scryfall.cards");
      EXPECT_EQ(q.source, "scryfall");
      seen.insert(id);
    }
    EXPECT_EQ(seen.size(), truth.invalid_cards);
  }
};

TEST_P(ScryfallSync, CleanSyncEndsExactlyAtTheTruthAndASecondRunChangesNothing) {
  // 5 sets (the last without printings), 120 printings each in pages of 50: 3 pages a set.
  start_scryfall(5, 120, 50, 0.03);
  const auto truth = scryfall_truth(control());
  ASSERT_GT(truth.invalid_cards, 0U) << "the seed must produce invalid cards";

  auto run = start_scryfall_run("first");
  auto first = wait(*run, "first");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto db = stored();
  expect_at_scryfall_truth(truth, db);
  expect_quarantined_exactly(truth, db);
  EXPECT_THAT(first.out, HasSubstr("0 failed"));

  // One request per page, and one 404 search for the empty set: 1 + 4 x 3 + 1.
  const auto stats = control().stats();
  EXPECT_EQ(stats.route_total("GET /scryfall/sets"), 1U);
  EXPECT_EQ(stats.count("GET /scryfall/cards/search", "200"), 12U);
  EXPECT_EQ(stats.count("GET /scryfall/cards/search", "404"), 1U);
  EXPECT_EQ(stats.total(), 14U);

  auto again = start_scryfall_run("second");
  auto second = wait(*again, "second");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  auto after = stored();
  expect_at_scryfall_truth(truth, after);
  for (const auto& row : after.records[CS_RECORD_VARIANT]) EXPECT_EQ(row.version, 1) << row.key;
  EXPECT_THAT(second.out,
              testing::ContainsRegex("variants +0 +0 +" + std::to_string(truth.variants)));
}

TEST_P(ScryfallSync, FaultyUpstreamStillEndsAtTheTruth) {
  sandbox::FaultOptions faults;
  faults.fail_rate = 0.15;
  faults.throttle_rate = 0.05;
  faults.truncate_rate = 0.06;
  faults.repeat_rate = 0.25;
  faults.short_page_rate = 0.2;
  faults.retry_after = std::chrono::seconds(1);
  start_scryfall(4, 150, 20, 0.03, faults);
  const auto truth = scryfall_truth(control());

  auto run = start_scryfall_run("run");
  // A 4 s outage once printings are being stored: the breaker holds the sync back, and the
  // checkpointed next_page lets each set continue where it was.
  ASSERT_TRUE(
      poll_until([&] { return control().stats().served("cards") > 100; }, std::chrono::seconds(60)))
      << run->err_so_far();
  control().outage(4);
  auto exit = wait(*run, "run");
  ASSERT_EQ(exit.exit_code, 0) << exit.out << exit.err;
  auto db = stored();
  expect_at_scryfall_truth(truth, db);
  expect_quarantined_exactly(truth, db);

  const auto stats = control().stats();
  EXPECT_GT(stats.fault("server_error"), 0U);
  EXPECT_GT(stats.fault("short_page"), 0U);
  EXPECT_GT(stats.fault("repeat"), 0U);
  EXPECT_GT(stats.fault("truncated"), 0U);
  EXPECT_GE(stats.fault("outage"), 1U) << "the outage started after the sync's last request";
  std::cout << "requests " << stats.total() << ", outage " << stats.fault("outage") << ", 5xx "
            << stats.fault("server_error") << ", 429 " << stats.fault("throttle") << ", truncated "
            << stats.fault("truncated") << ", short pages " << stats.fault("short_page")
            << ", repeats " << stats.fault("repeat") << ", run " << exit.seconds << " s\n";
}

INSTANTIATE_TEST_SUITE_P(Storage, ScryfallSync, ::testing::ValuesIn(storage_backends("scry_")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cardsync::integration
