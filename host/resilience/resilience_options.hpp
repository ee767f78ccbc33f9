#pragma once
// All resilience settings of one service: the `resilience` config section, overridden key by
// key by providers.<name>.resilience.

#include <rapidjson/document.h>

#include <string_view>

#include "http/http_client_options.hpp"
#include "resilience/circuit_breaker.hpp"
#include "resilience/pacer.hpp"
#include "resilience/retry_budget.hpp"
#include "resilience/retry_options.hpp"

namespace cardsync {

struct ResilienceOptions {
  HttpClientOptions http;
  RetryOptions retry;
  RetryBudgetOptions retry_budget;
  BreakerOptions breaker;
  PacingOptions pacing;

  // `section` is the top-level `resilience` value (null or absent = all defaults);
  // `provider_override`, if given, has the same shape and wins key by key. Both are checked
  // against resilience_section_schema(); throws std::invalid_argument naming the offending
  // path on a violation.
  static ResilienceOptions from_json(const rapidjson::Value& section,
                                     const rapidjson::Value* provider_override = nullptr);

  // The options of the service that providers.<provider> configures: `section` overridden by
  // the provider section's own "resilience", and the section's "daily_quota" (for a provider
  // whose schema declares one, e.g. a plan's call allowance) as the pacing quota. Throws
  // std::invalid_argument when the section sets the quota both ways.
  static ResilienceOptions for_provider(const rapidjson::Value& section, std::string_view provider,
                                        const rapidjson::Value& provider_section);

  friend bool operator==(const ResilienceOptions&, const ResilienceOptions&) = default;
};

// JSON Schema (draft-04) of the `resilience` section, for config validation and docs.
std::string_view resilience_section_schema();

}  // namespace cardsync
