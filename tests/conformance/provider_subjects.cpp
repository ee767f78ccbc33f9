#include "provider_subject.hpp"

namespace cardsync::conformance {

std::vector<ProviderSubject> provider_subjects() {
  return {justtcg_subject(),
          scryfall_subject(),
          psa_subject(),
          pokemontcg_manifest_subject(),
          ygoprodeck_manifest_subject(),
          scryfall_manifest_subject()};
}

}  // namespace cardsync::conformance
