#pragma once
// Every configured provider's lookups behind one entry point, for `cardsync lookup` and
// GET /api/v1/lookup/{provider}/{key}: resolves the provider and the lookup kind, asks the
// provider for the key's canonical form (an invalid key is answered without any upstream
// call), and hands it to that kind's fetch-through cache. Thread-safe.

#include <rapidjson/document.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lookup/fetch_through_cache.hpp"
#include "lookup/lookup_answer.hpp"

namespace cardsync::lookup {

// Why a lookup could not even be asked: an unknown provider, a provider without lookups, or
// a kind it does not have. `message` is one line naming what would work.
struct LookupRefusal {
  enum class Why { no_such_provider, no_lookups, no_such_kind };
  Why why;
  std::string message;
};

// An item the cache does not hold: fetching it spends the upstream's calls (or queues a job
// that will). The key is canonical.
struct LookupMiss {
  std::string provider;
  std::string kind;
  std::string key;
};

using CachedLookup = std::variant<LookupAnswer, LookupRefusal, LookupMiss>;

class LookupService {
 public:
  // One cache per lookup kind of every provider in `providers`, timed by its section in
  // `providers_config` (the effective "providers" object; nullptr for none).
  LookupService(const pipeline::PipelineParts& parts,
                const std::vector<std::shared_ptr<plugin::ProviderRuntime>>& providers,
                const rapidjson::Value* providers_config);

  struct ProviderLookupInfo {
    std::string provider;
    std::vector<plugin::LookupKind> kinds;
  };
  // The providers with lookups, by name.
  std::vector<ProviderLookupInfo> catalog() const;

  // `kind` may be empty when the provider has one lookup. from_cache() and, on a miss,
  // fetch() from now.
  std::variant<LookupAnswer, LookupRefusal> lookup(std::string_view provider, std::string_view kind,
                                                   std::string_view input,
                                                   std::string_view request_id = {});
  // The lookup's first half, which spends no upstream call: the refusal, the answer for an
  // invalid key or a cached item, or the miss to hand to fetch() (the admin server decides
  // who may, and where it waits).
  CachedLookup from_cache(std::string_view provider, std::string_view kind, std::string_view input,
                          std::string_view request_id = {});
  // The second half: fetches `miss`, answering by `asked_at` plus the kind's deadline
  // (lookup_deadline_seconds): the deadline is the whole lookup's, time spent waiting for a
  // thread to run it included.
  LookupAnswer fetch(const LookupMiss& miss, std::string_view request_id,
                     Clock::SteadyTime asked_at);

 private:
  struct Entry {
    std::shared_ptr<plugin::ProviderRuntime> provider;
    std::map<std::string, std::unique_ptr<FetchThroughCache>, std::less<>> caches;
  };
  std::string with_lookups() const;
  // The kind's cache, or the refusal; `key` gets the canonical key, or the answer for an
  // input that is none.
  std::variant<FetchThroughCache*, LookupRefusal, LookupAnswer> resolve(std::string_view provider,
                                                                        std::string_view kind,
                                                                        std::string_view input,
                                                                        std::string& key);

  Clock& clock_;
  std::map<std::string, Entry, std::less<>> providers_;  // every configured provider
};

}  // namespace cardsync::lookup
