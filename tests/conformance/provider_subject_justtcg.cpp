// JustTCG in the provider conformance suite: one game, two sets paged by 20 cards.
#include "provider_subject.hpp"

namespace cardsync::conformance {

ProviderSubject justtcg_subject() {
  ProviderSubject s;
  s.name = "justtcg";
  s.shape = [](sandbox::SandboxOptions& o) {
    o.catalog.games = 1;
    o.catalog.sets_per_game = 2;
    o.catalog.cards_per_set = 45;
    o.catalog.variants_per_card = 3;
    o.catalog.invalid_rate = 0.05;
  };
  s.config = [](const std::string& root) {
    return R"({"base_url":")" + root +
           R"(/v1","api_key":"tcg_sandbox","plan":"enterprise","page_size":20,"mode":"full"})";
  };
  s.expected = [](const SandboxGet& get) {
    const auto t = get("/_sandbox/truth");
    Expectation e;
    e.records[CS_RECORD_GAME] = t["games"].GetUint64();
    e.records[CS_RECORD_SET] = t["sets"].GetUint64();
    e.records[CS_RECORD_CARD] = t["cards"].GetUint64();
    e.records[CS_RECORD_VARIANT] = t["variants"].GetUint64();
    e.rejected_items =
        t["invalid"]["card_items"].GetUint64() + t["invalid"]["variant_items"].GetUint64();
    return e;
  };
  return s;
}

}  // namespace cardsync::conformance
