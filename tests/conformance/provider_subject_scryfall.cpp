// Scryfall in the provider conformance suite: three sets (the last without printings),
// searched in pages of 15.
#include "provider_subject.hpp"

namespace cardsync::conformance {

ProviderSubject scryfall_subject() {
  ProviderSubject s;
  s.name = "scryfall";
  s.shape = [](sandbox::SandboxOptions& o) {
    o.scryfall = {3, 40, 15};
    o.catalog.invalid_rate = 0.05;
  };
  s.config = [](const std::string& root) {
    return R"({"base_url":")" + root + R"(/scryfall","user_agent":"cardsync-conformance/1"})";
  };
  s.expected = [](const SandboxGet& get) {
    const auto t = get("/_sandbox/truth/scryfall");
    Expectation e;
    e.records[CS_RECORD_GAME] = 1;
    e.records[CS_RECORD_SET] = t["sets"].GetUint64();
    e.records[CS_RECORD_CARD] = t["cards"].GetUint64();
    e.records[CS_RECORD_VARIANT] = t["variants"].GetUint64();
    e.rejected_items = t["invalid"]["cards"].GetUint64();
    return e;
  };
  return s;
}

}  // namespace cardsync::conformance
