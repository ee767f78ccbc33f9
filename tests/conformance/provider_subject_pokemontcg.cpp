// manifests/pokemontcg.json on the rest plugin in the provider conformance suite: four sets
// of 23 cards in pages of 10, with the sandbox's key; its variants must add up to the truth's
// checksum (one per TCGplayer printing with a market price).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>

#include "provider_subject.hpp"
#include "provider_sync.hpp"
#include "sandbox/fnv1a.hpp"

namespace cardsync::conformance {

ProviderSubject pokemontcg_manifest_subject() {
  ProviderSubject s;
  s.name = "pokemontcg";
  s.plugin = "rest";
  s.shape = [](sandbox::SandboxOptions& o) {
    o.pokemontcg.shape.sets = 4;
    o.pokemontcg.shape.cards_per_set = 23;
  };
  s.config = [](const std::string& root) {
    return manifest_section("pokemontcg.json", R"({"base_url":")" + root +
                                                   R"(/pokemontcg/v2","api_key":"ptcg_sandbox",)"
                                                   R"("page_size":10})");
  };
  // Page numbers address fixed windows there: a short page would lose cards for any client.
  s.faults_not_played = {"short_page_rate"};
  s.expected = [](const SandboxGet& get) {
    const auto t = get("/_sandbox/truth/pokemontcg");
    Expectation e;
    e.records[CS_RECORD_GAME] = 1;
    e.records[CS_RECORD_SET] = t["sets"].GetUint64();
    e.records[CS_RECORD_CARD] = t["cards"].GetUint64();
    e.records[CS_RECORD_VARIANT] = t["variants"].GetUint64();
    return e;
  };
  s.check_records = [](const SyncOutcome& out, const SandboxGet& get) {
    std::uint64_t sum = 0;
    for (const auto& [key, rec] : out.records) {
      if (key.first != CS_RECORD_VARIANT) continue;
      rapidjson::Document core;
      core.Parse(rec.core.c_str());
      sum += sandbox::fnv1a64(rec.key + "|" + rec.parent + "|" + core["printing"].GetString() +
                              "|" + std::to_string(core["price_cents"].GetInt64()) + "|" +
                              core["currency"].GetString());
    }
    std::array<char, 17> hex{};
    std::snprintf(hex.data(), hex.size(), "%016llx", static_cast<unsigned long long>(sum));
    EXPECT_EQ(std::string(hex.data()), get("/_sandbox/truth/pokemontcg")["checksum"].GetString());
  };
  return s;
}

}  // namespace cardsync::conformance
