#pragma once
// The cert cache's settings. Their one source of truth is the PSA provider's config section
// (providers.psa: ttl_seconds, not_found_ttl_seconds, lookup_deadline_seconds, daily_quota),
// declared and defaulted by the plugin's schema, because they describe that provider; the
// host reads them from the effective config. daily_quota is not applied here: the host makes
// it the psa service's pacing quota (see apply_provider_daily_quota), and the cache asks the
// pacer.

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "resilience/resilience_options.hpp"

namespace cardsync::cache {

struct CertCacheOptions {
  std::string provider = "psa";  // the provider section and plugin
  std::string job_type = "psa.cert";
  std::chrono::milliseconds ttl{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds not_found_ttl{std::chrono::hours(24)};
  std::chrono::milliseconds deadline{std::chrono::seconds(5)};
  // While a refresh of a stale cert was enqueued this recently, more stale lookups of it do
  // not enqueue again (the queue would deduplicate them anyway; this spares the writes).
  std::chrono::milliseconds refresh_guard{std::chrono::minutes(1)};
  // How often a lookup re-reads a job another worker is running.
  std::chrono::milliseconds poll{std::chrono::milliseconds(20)};
};

// `section` is the effective providers.psa value (defaults applied), or nullptr.
CertCacheOptions read_cert_cache_options(const rapidjson::Value* section);

// A provider section's `daily_quota` (when its schema declares one, as PSA's does) is the
// service's pacing quota: it replaces resilience.pacing.daily_quota for that service. Throws
// std::invalid_argument when the section also sets resilience.pacing.daily_quota, so there is
// one place to set it.
void apply_provider_daily_quota(std::string_view provider, const rapidjson::Value& provider_section,
                                ResilienceOptions& options);

}  // namespace cardsync::cache
