#pragma once
// A lookup's answer as HTTP, for GET /api/v1/lookup/{provider}/{key}: 200 for an answer
// (fresh, stale, not found: the body says which), 202 while queued, 400 for a key the
// provider refuses, 503 when the provider or storage cannot answer, and 404 when there is no
// such provider or lookup. Errors also carry the API's error object.

#include <string>
#include <string_view>
#include <variant>

#include "lookup/lookup_service.hpp"

namespace cardsync::admin {

struct LookupReply {
  unsigned status = 200;
  std::string json;
};

LookupReply lookup_reply(const std::variant<lookup::LookupAnswer, lookup::LookupRefusal>& result,
                         std::string_view request_id);

// {"providers": [{"provider", "lookups": [{"kind", "description", "key_example"}]}]}
std::string lookup_catalog_json(const std::vector<lookup::LookupService::ProviderLookupInfo>& all);

}  // namespace cardsync::admin
