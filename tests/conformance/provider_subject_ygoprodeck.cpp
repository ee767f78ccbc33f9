// manifests/ygoprodeck.json on the rest plugin in the provider conformance suite: four sets
// of 12 cards (with reprints) in pages of 5; its variants must add up to the truth's checksum
// (one per printing, "0.00" prices as no price).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>

#include "provider_subject.hpp"
#include "provider_sync.hpp"
#include "sandbox/fnv1a.hpp"

namespace cardsync::conformance {

ProviderSubject ygoprodeck_manifest_subject() {
  ProviderSubject s;
  s.name = "ygoprodeck";
  s.plugin = "rest";
  s.shape = [](sandbox::SandboxOptions& o) {
    o.ygoprodeck.shape.sets = 4;
    o.ygoprodeck.shape.cards_per_set = 12;
  };
  s.config = [](const std::string& root) {
    return manifest_section("ygoprodeck.json",
                            R"({"base_url":")" + root + R"(/ygoprodeck/api/v7","page_size":5})");
  };
  s.expected = [](const SandboxGet& get) {
    const auto t = get("/_sandbox/truth/ygoprodeck");
    Expectation e;
    e.records[CS_RECORD_GAME] = 1;
    e.records[CS_RECORD_SET] = t["sets"].GetUint64();
    e.records[CS_RECORD_CARD] = t["cards"].GetUint64();
    e.records[CS_RECORD_VARIANT] = t["variants"].GetUint64();
    return e;
  };
  s.check_records = [](const SyncOutcome& out, const SandboxGet& get) {
    std::uint64_t sum = 0;
    std::uint64_t priced = 0;
    for (const auto& [key, rec] : out.records) {
      if (key.first != CS_RECORD_VARIANT) continue;
      rapidjson::Document core;
      core.Parse(rec.core.c_str());
      std::string price;
      if (core["price_cents"].IsInt64()) {
        price = std::to_string(core["price_cents"].GetInt64());
        ++priced;
      }
      sum += sandbox::fnv1a64(rec.key + "|" + rec.parent + "|" + price + "|" +
                              core["currency"].GetString());
    }
    std::array<char, 17> hex{};
    std::snprintf(hex.data(), hex.size(), "%016llx", static_cast<unsigned long long>(sum));
    const auto truth = get("/_sandbox/truth/ygoprodeck");
    EXPECT_EQ(std::string(hex.data()), truth["checksum"].GetString());
    EXPECT_EQ(priced, truth["priced"].GetUint64());
  };
  return s;
}

}  // namespace cardsync::conformance
