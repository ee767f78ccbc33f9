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

  // `kind` may be empty when the provider has one lookup.
  std::variant<LookupAnswer, LookupRefusal> lookup(std::string_view provider, std::string_view kind,
                                                   std::string_view input,
                                                   std::string_view request_id = {});

 private:
  struct Entry {
    std::shared_ptr<plugin::ProviderRuntime> provider;
    std::map<std::string, std::unique_ptr<FetchThroughCache>, std::less<>> caches;
  };
  std::string with_lookups() const;

  std::map<std::string, Entry, std::less<>> providers_;  // every configured provider
};

}  // namespace cardsync::lookup
