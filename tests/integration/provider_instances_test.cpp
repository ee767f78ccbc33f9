// Acceptance (issue 15): sources served by one plugin, side by side. The Pokémon TCG,
// YGOPRODeck and Scryfall manifests run as instances of the rest plugin in one `cardsync run
// --once` against the sandbox, on SQLite and on PostgreSQL, with and without faults: each ends
// exactly at its API's truth, its records carry its instance name as their source, and the
// run reports requests, breaker and pacing per instance. `manifest try` stores nothing.
//
// The database is read back through the storage plugin (read_records, list_jobs), so every
// check is the same for both engines.
#include <gmock/gmock.h>
#include <rapidjson/document.h>

#include <array>
#include <cstdio>
#include <functional>
#include <string>

#include "integration/pg_catalog.hpp"
#include "integration/storage_backend.hpp"
#include "integration/sync_fixture.hpp"
#include "integration/synced_catalog.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"

namespace cardsync::integration {
namespace {

using ::testing::HasSubstr;

// An engine, with or without upstream faults.
struct Case {
  StorageBackend backend;
  bool faults = false;
  std::string name() const { return backend.name + (faults ? "_faults" : ""); }
  friend void PrintTo(const Case& c, std::ostream* os) { *os << c.name(); }
};

constexpr const char* kSchemaPrefix = "inst_";

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const auto& backend : storage_backends(kSchemaPrefix)) {
    out.push_back({backend, false});
    out.push_back({backend, true});
  }
  return out;
}

// The Scryfall truth's checksum term of one stored variant (key "<card id>/<finish>").
std::uint64_t scryfall_line(const queue::StoredRecordRow& v) {
  rapidjson::Document core;
  core.Parse(v.core_json.c_str());
  std::string line = v.parent_key;
  line += '|';
  line += v.key.substr(v.key.rfind('/') + 1);
  line += '|';
  if (core["price_cents"].IsInt64()) {
    line += core["currency"].GetString();
    line += '|';
    line += std::to_string(core["price_cents"].GetInt64());
  } else {
    line += '|';
  }
  return fnv1a64(line);
}

std::string hex(std::uint64_t sum) {
  std::array<char, 17> out{};
  std::snprintf(out.data(), out.size(), "%016llx", static_cast<unsigned long long>(sum));
  return out.data();
}

class ProviderInstances : public SyncTest, public ::testing::WithParamInterface<Case> {
 protected:
  void SetUp() override {
    if (GetParam().backend.postgres()) {
      if (!test_postgres_url()) {
        if (postgres_required())
          FAIL() << "CARDSYNC_REQUIRE_POSTGRES=1 but no CARDSYNC_TEST_PG_URL";
        GTEST_SKIP() << "no test PostgreSQL (scripts/pg-test-server.sh start)";
      }
      PgCatalog(*test_postgres_url(), test_schema(kSchemaPrefix)).drop_schema();
    }
    auto options = sandbox_catalog(3, 1, 1, 1, 1);
    options.pokemontcg.shape.sets = 3;
    options.pokemontcg.shape.cards_per_set = 12;
    if (GetParam().faults) {
      options.faults.fail_rate = 0.15;
      options.faults.throttle_rate = 0.05;
      options.faults.truncate_rate = 0.06;
      options.faults.retry_after = std::chrono::seconds(1);
    }
    start_sandbox(options);
    root_ = config().base_url.substr(0, config().base_url.rfind("/v1"));
  }
  void TearDown() override {
    if (GetParam().backend.postgres() && test_postgres_url() && !HasFailure()) {
      PgCatalog(*test_postgres_url(), test_schema(kSchemaPrefix)).drop_schema();
    }
    SyncTest::TearDown();
  }

  // The integration tests' shortened timings, with both manifests as the providers.
  std::filesystem::path write_config() const {
    const std::string manifests = std::string(CARDSYNC_SOURCE_DIR) + "/manifests/";
    rapidjson::Document providers;
    providers.Parse((R"({
      "pokemontcg": {"plugin": "rest", "manifest": ")" +
                     manifests + R"(pokemontcg.json",
                     "base_url": ")" +
                     root_ + R"(/pokemontcg/v2",
                     "api_key": "ptcg_sandbox", "page_size": 50},
      "ygoprodeck": {"plugin": "rest", "manifest": ")" +
                     manifests + R"(ygoprodeck.json",
                     "base_url": ")" +
                     root_ + R"(/ygoprodeck/api/v7"},
      "mtg": {"plugin": "rest", "manifest": ")" +
                     manifests + R"(scryfall.json",
              "base_url": ")" +
                     root_ + R"(/scryfall"}})")
                        .c_str());
    auto path = dir() / "instances.json";
    write_config_for(config().to_json(), providers, GetParam().backend, dir().path(), path);
    return path;
  }

  struct Stored {
    std::vector<queue::StoredRecordRow> variants, cards;
    std::vector<queue::StoredJob> jobs;
  };
  Stored stored() const {
    plugin::Registry reg(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
    plugin::PluginStorage storage(std::shared_ptr<plugin::Instance>(plugin::Instance::create(
        reg.load_file(GetParam().backend.plugin_file), GetParam().backend.section(dir().path()))));
    Stored out;
    sdk::RecordQuery q;
    q.kind = CS_RECORD_VARIANT;
    out.variants = storage.read_records(q);
    q.kind = CS_RECORD_CARD;
    out.cards = storage.read_records(q);
    out.jobs = storage.list_jobs(sdk::JobQuery{});
    return out;
  }

  std::string root_;
};

TEST_P(ProviderInstances, ThreeManifestsOnOnePluginSyncSideBySideToTheirTruths) {
  // With faults, the run also starts into a 2 s outage of every API, so each instance is
  // sure to meet failures however few requests its random faults happen to hit.
  const auto config_file = write_config();
  if (GetParam().faults) control().outage(2);
  ChildProcess run(CARDSYNC_BINARY, {"--config", config_file.string(), "run", "--once"},
                   dir().path(), "two-instances");
  const ProcessExit exit = wait(run, "two-instances");
  ASSERT_EQ(exit.exit_code, 0) << exit.out << exit.err;
  const Stored db = stored();

  // Pokémon TCG: one variant per TCGplayer printing with a market price. YGOPRODeck: one
  // per printing, an unpriced one with an empty price.
  std::uint64_t pokemon = 0;
  std::uint64_t ygo = 0;
  std::uint64_t mtg = 0;
  std::int64_t ygo_variants = 0;
  for (const auto& v : db.variants) {
    if (v.source == "mtg") {
      mtg += scryfall_line(v);
      continue;
    }
    rapidjson::Document core;
    core.Parse(v.core_json.c_str());
    const std::string price =
        core["price_cents"].IsInt64() ? std::to_string(core["price_cents"].GetInt64()) : "";
    const std::string currency = core["currency"].GetString();
    // "<key>|<card>|[<printing>|]<price>|<currency>", as each truth's checksum defines it.
    std::string line = v.key;
    line += '|';
    line += v.parent_key;
    line += '|';
    if (v.source == "pokemontcg") {
      line += core["printing"].GetString();
      line += '|';
    }
    line += price;
    line += '|';
    line += currency;
    if (v.source == "pokemontcg") {
      pokemon += fnv1a64(line);
    } else {
      EXPECT_EQ(v.source, "ygoprodeck") << v.key;
      ygo += fnv1a64(line);
      ++ygo_variants;
    }
  }
  const auto pokemon_truth = control().get("/_sandbox/truth/pokemontcg");
  EXPECT_EQ(hex(pokemon), pokemon_truth["checksum"].GetString());
  const auto ygo_truth = control().get("/_sandbox/truth/ygoprodeck");
  EXPECT_EQ(hex(ygo), ygo_truth["checksum"].GetString());
  EXPECT_EQ(ygo_variants, static_cast<std::int64_t>(ygo_truth["variants"].GetUint64()));
  // Scryfall: "<card>|<finish>|<currency>|<cents>", or "<card>|<finish>||" when unpriced.
  EXPECT_EQ(hex(mtg), control().get("/_sandbox/truth/scryfall")["checksum"].GetString());
  std::int64_t pokemon_cards = 0;
  for (const auto& c : db.cards) pokemon_cards += c.source == "pokemontcg" ? 1 : 0;
  EXPECT_EQ(pokemon_cards, static_cast<std::int64_t>(pokemon_truth["cards"].GetUint64()));

  // Every job was one instance's, and none is left failed or live.
  std::map<std::string, int> types;
  for (const auto& j : db.jobs) {
    ++types[j.type];
    EXPECT_EQ(j.state, sdk::JobState::done) << j.type << " " << j.key;
  }
  EXPECT_GT(types["pokemontcg.cards"], 0);
  EXPECT_GT(types["ygoprodeck.cards"], 0);
  for (const auto& [type, n] : types) {
    EXPECT_TRUE(type.rfind("pokemontcg.", 0) == 0 || type.rfind("ygoprodeck.", 0) == 0 ||
                type.rfind("mtg.", 0) == 0)
        << type;
  }

  // Requests, breaker and pacing per instance.
  EXPECT_THAT(exit.out, HasSubstr("service pokemontcg: "));
  EXPECT_THAT(exit.out, HasSubstr("service ygoprodeck: "));
  EXPECT_THAT(exit.out, HasSubstr("service mtg: "));
  EXPECT_THAT(exit.out, HasSubstr("paced at 600/min"));  // YGOPRODeck's 10 a second
  if (GetParam().faults) {
    EXPECT_GE(control().stats().fault("outage"), 1U);
  } else {
    EXPECT_EQ(lines_containing(exit.out, "breaker closed").size(), 3U) << exit.out;
  }
}

TEST_P(ProviderInstances, ManifestTryShowsAJobsFirstPageAndStoresNothing) {
  if (GetParam().faults || GetParam().backend.postgres())
    GTEST_SKIP() << "one engine-free case is enough";
  ChildProcess run(CARDSYNC_BINARY,
                   {"--config", write_config().string(), "manifest", "try",
                    std::string(CARDSYNC_SOURCE_DIR) + "/manifests/ygoprodeck.json", "--job",
                    "sets:all", "--pages", "1"},
                   dir().path(), "try");
  const ProcessExit exit = wait(run, "try");
  ASSERT_EQ(exit.exit_code, 0) << exit.err << exit.out;
  EXPECT_THAT(exit.out, HasSubstr("page 1: GET " + root_ + "/ygoprodeck/api/v7/cardsets.php"));
  EXPECT_THAT(exit.out, HasSubstr("record set "));
  EXPECT_THAT(exit.out, HasSubstr("follow-up job ygoprodeck.cards "));
  EXPECT_THAT(exit.out, HasSubstr("nothing was stored"));
  // It never opened the storage.
  EXPECT_FALSE(std::filesystem::exists(dir() / "shop.db"));
}

INSTANTIATE_TEST_SUITE_P(Engines, ProviderInstances, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace cardsync::integration
