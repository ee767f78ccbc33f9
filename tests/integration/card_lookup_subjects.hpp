#pragma once
// The providers whose card lookup card_lookup_test runs, as data: each one's lookup case (its
// plugin, config section and sandbox) and the cards its sandbox serves and does not. The suite
// never names a provider: a CardLookupSubject says everything provider-specific.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "lookup_fixture.hpp"
#include "sandbox/sandbox.hpp"

namespace cardsync::integration {

// A card the sandbox serves, as the lookup and the storage know it.
struct KnownCard {
  std::string input;       // as a person types it (not yet canonical)
  std::string key;         // the lookup's canonical key
  std::string record_key;  // the key of its card record, as the catalog sync stores it
  std::string name;
  std::size_t variants = 0;  // variant records the upstream serves for it
  // A job of the catalog sync that stores this card with its set.
  std::string sync_job_type, sync_job_key, sync_job_payload;
};

// What the provider section sets beyond the plugin's own keys.
struct CardLookupSetup {
  std::int64_t host_daily_quota = 0;  // resilience.pacing.daily_quota (0: none)
  int max_retries = 2;                // resilience.retry.max_retries
};

struct CardLookupSubject {
  std::string provider;  // its name, as test names show it
  std::string route;     // the stats label of the lookup's request: "GET /v1/cards"
  // The provider's card lookup with `setup` in its section.
  std::function<LookupProviderCase(const CardLookupSetup&)> lookup;
  // The i-th distinct card the sandbox serves (i < 3).
  std::function<KnownCard(sandbox::Sandbox&, int i)> card;
  std::string unknown_key;                  // canonical, and not in the sandbox's catalog
  std::vector<std::string> invalid_inputs;  // not keys at all
};

// Test names and failure messages show the provider, not the struct's bytes.
inline void PrintTo(const CardLookupSubject& subject, std::ostream* os) {
  *os << subject.provider;
}

// Every provider whose card lookup the suite runs.
std::vector<CardLookupSubject> card_lookup_subjects();

}  // namespace cardsync::integration
