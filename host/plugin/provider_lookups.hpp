#pragma once
// The lookups a provider declares (ABI 1.2), read once when it is loaded and checked against
// its job types, and the call that asks the provider for a key's canonical form. A plugin
// built against an older minor declares none: its vtable ends before those members, which
// are then never read.

#include <cardsync/abi.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/job_type_names.hpp"

namespace cardsync::plugin {

struct LookupKind {
  std::string name;
  std::string job_type;
  std::string description;
  std::string key_example;
  cs_record_kind record_kind = CS_RECORD_CARD;
  uint32_t child_kind = 0;  // cs_record_kind of the item's children; 0: none
  std::string child_field;
  std::chrono::seconds ttl{};
  std::chrono::seconds not_found_ttl{};
};

struct NormalisedKey {
  std::optional<std::string> key;  // the canonical key, when the input is one
  std::string problem;             // otherwise the provider's words for what a key looks like
};

class ProviderLookups {
 public:
  ProviderLookups() = default;
  // Reads `vtable`'s lookups. Throws std::invalid_argument naming `provider` when one is
  // malformed: a name not [a-z0-9_]+ or given twice, a job type the provider does not serve,
  // a child kind without a field, or lookups without normalise_key. `names`, when given,
  // turns the plugin's job type of each lookup into the instance's (job_types are those).
  ProviderLookups(const cs_provider_vtable& vtable, void* instance, std::string_view provider,
                  const std::vector<std::string>& job_types, const JobTypeNames* names = nullptr);

  const std::vector<LookupKind>& kinds() const { return kinds_; }
  // The lookup named `kind`; with `kind` empty, the provider's only one. nullptr when there
  // is no such lookup (or `kind` is empty and the provider has several).
  const LookupKind* find(std::string_view kind) const;
  // Thread-safe (providers are required to be); never throws for the plugin's refusals.
  NormalisedKey normalise(const LookupKind& kind, std::string_view input) const;

 private:
  using NormaliseFn = cs_status (*)(void*, cs_str, cs_str, cs_str_visitor, void*, cs_error*);
  NormaliseFn normalise_ = nullptr;
  void* instance_ = nullptr;
  std::vector<LookupKind> kinds_;
};

}  // namespace cardsync::plugin
