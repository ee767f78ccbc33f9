// Acceptance (issue 15): two sources served by one plugin, side by side. The Pokémon TCG and
// YGOPRODeck manifests run as two instances of the rest plugin in one `cardsync run --once`
// against the sandbox; each ends exactly at its API's truth, its records carry its instance
// name as their source, and the run reports requests, breaker and pacing per instance.
#include <gmock/gmock.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "integration/sync_fixture.hpp"
#include "integration/synced_catalog.hpp"

namespace cardsync::integration {
namespace {

using ::testing::HasSubstr;

std::string hex(std::uint64_t sum) {
  std::array<char, 17> out{};
  std::snprintf(out.data(), out.size(), "%016llx", static_cast<unsigned long long>(sum));
  return out.data();
}

class ProviderInstances : public SyncTest {
 protected:
  void SetUp() override {
    auto options = sandbox_catalog(3, 1, 1, 1, 1);
    options.pokemontcg.shape.sets = 3;
    options.pokemontcg.shape.cards_per_set = 12;
    start_sandbox(options);
    root_ = config().base_url.substr(0, config().base_url.size() - std::string("/v1").size());
  }

  std::filesystem::path write_config() const {
    const std::string manifests = std::string(CARDSYNC_SOURCE_DIR) + "/manifests/";
    const auto path = dir() / "two.json";
    std::ofstream(path) << R"({
      "storage": {"sqlite": {"path": ")"
                        << database().string() << R"("}},
      "pipeline": {"workers": 4},
      "providers": {
        "pokemontcg": {"plugin": "rest", "manifest": ")"
                        << manifests << R"(pokemontcg.json",
                       "base_url": ")"
                        << root_ << R"(/pokemontcg/v2",
                       "api_key": "ptcg_sandbox", "page_size": 50},
        "ygoprodeck": {"plugin": "rest", "manifest": ")"
                        << manifests << R"(ygoprodeck.json",
                       "base_url": ")"
                        << root_ << R"(/ygoprodeck/api/v7"}
      }
    })";
    return path;
  }

  std::string root_;
};

TEST_F(ProviderInstances, TwoManifestsOnOnePluginSyncSideBySideToTheirTruths) {
  ChildProcess run(CARDSYNC_BINARY, {"--config", write_config().string(), "run", "--once"},
                   dir().path(), "two-instances");
  const ProcessExit exit = wait(run, "two-instances");
  ASSERT_EQ(exit.exit_code, 0) << exit.err;

  const SyncedCatalog db(database());
  // Pokémon TCG: one variant per TCGplayer printing with a market price.
  std::uint64_t pokemon = 0;
  for (const auto& row : db.texts(
           "SELECT key || '|' || parent_key || '|' || json_extract(core_json, '$.printing') || '|'"
           " || json_extract(core_json, '$.price_cents') || '|' || json_extract(core_json, "
           "'$.currency') FROM variants WHERE source = 'pokemontcg'")) {
    pokemon += fnv1a64(row);
  }
  const auto pokemon_truth = control().get("/_sandbox/truth/pokemontcg");
  EXPECT_EQ(hex(pokemon), pokemon_truth["checksum"].GetString());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM cards WHERE source = 'pokemontcg'"),
            static_cast<std::int64_t>(pokemon_truth["cards"].GetUint64()));

  // YGOPRODeck: one variant per printing, an unpriced one with an empty price.
  std::uint64_t ygo = 0;
  for (const auto& row :
       db.texts("SELECT key || '|' || parent_key || '|' || coalesce(json_extract(core_json, "
                "'$.price_cents'), '') || '|' || json_extract(core_json, '$.currency')"
                " FROM variants WHERE source = 'ygoprodeck'")) {
    ygo += fnv1a64(row);
  }
  const auto ygo_truth = control().get("/_sandbox/truth/ygoprodeck");
  EXPECT_EQ(hex(ygo), ygo_truth["checksum"].GetString());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM variants WHERE source = 'ygoprodeck'"),
            static_cast<std::int64_t>(ygo_truth["variants"].GetUint64()));

  // Every job was one instance's; none is left behind.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM sync_queue WHERE type NOT LIKE 'pokemontcg.%'"
                      " AND type NOT LIKE 'ygoprodeck.%'"),
            0);
  EXPECT_GT(db.scalar("SELECT count(*) FROM sync_queue WHERE type = 'pokemontcg.cards'"), 0);
  EXPECT_GT(db.scalar("SELECT count(*) FROM sync_queue WHERE type = 'ygoprodeck.cards'"), 0);

  // Requests, breaker and pacing per instance.
  EXPECT_THAT(exit.out, HasSubstr("service pokemontcg: "));
  EXPECT_THAT(exit.out, HasSubstr("service ygoprodeck: "));
  EXPECT_EQ(lines_containing(exit.out, "breaker closed").size(), 2U) << exit.out;
  EXPECT_THAT(exit.out, HasSubstr("paced at 600/min"));  // YGOPRODeck's 10 a second
}

TEST_F(ProviderInstances, ManifestTryShowsAJobsFirstPageAndStoresNothing) {
  const auto config = write_config();
  ChildProcess run(CARDSYNC_BINARY,
                   {"--config", config.string(), "manifest", "try",
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
  EXPECT_FALSE(std::filesystem::exists(database()));
}

}  // namespace
}  // namespace cardsync::integration
