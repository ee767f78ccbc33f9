#pragma once
// A lookup's timing. The provider declares how long its items stay fresh and how long a
// not-found is worth remembering (its lookup kinds); a provider section may override both
// and set the deadline with the host-owned keys ttl_seconds, not_found_ttl_seconds and
// lookup_deadline_seconds, valid in every provider section like "resilience".

#include <rapidjson/document.h>

#include <chrono>
#include <string_view>
#include <vector>

#include "plugin/provider_lookups.hpp"

namespace cardsync::lookup {

struct LookupOptions {
  std::chrono::milliseconds ttl{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds not_found_ttl{std::chrono::hours(24)};
  std::chrono::milliseconds deadline{std::chrono::seconds(5)};
  // While a refresh of a stale item was enqueued this recently, more stale lookups of it do
  // not enqueue again (the queue would deduplicate them anyway; this spares the writes).
  std::chrono::milliseconds refresh_guard{std::chrono::minutes(1)};
  // How often a lookup re-reads a job another worker is running.
  std::chrono::milliseconds poll{std::chrono::milliseconds(20)};
};

// `section` is the provider's effective config section, or nullptr.
LookupOptions read_lookup_options(const plugin::LookupKind& kind, const rapidjson::Value* section);

struct HostKey {
  const char* name;
  std::string_view schema;
};
// The host-owned provider keys above with their JSON Schemas, for the config's schema set.
const std::vector<HostKey>& lookup_host_keys();

}  // namespace cardsync::lookup
