// manifests/scryfall.json on the rest plugin in the provider conformance suite, on the same
// catalog as the native scryfall subject: three sets (the last without printings), searched
// in pages of 15, with invalid cards to quarantine.
#include "provider_subject.hpp"

namespace cardsync::conformance {

ProviderSubject scryfall_manifest_subject() {
  ProviderSubject s = scryfall_subject();
  s.name = "scryfall_manifest";
  s.plugin = "rest";
  s.config = [](const std::string& root) {
    return manifest_section(
        "scryfall.json",
        R"({"base_url":")" + root + R"(/scryfall","user_agent":"cardsync-conformance/1"})");
  };
  return s;
}

}  // namespace cardsync::conformance
