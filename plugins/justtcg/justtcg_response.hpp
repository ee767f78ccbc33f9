#pragma once
// Judges a JustTCG response: either a usable success envelope, or an sdk::Fatal / Permanent /
// Retry whose message tells an operator what happened and what to change. JustTCG reports
// errors as {"error": "...", "code": "..."}, with a matching status or, for some validation
// errors, inside a 200: both the status and the body are checked.

#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <string_view>

#include "justtcg_config.hpp"
#include "parsed_body.hpp"

namespace cardsync::justtcg {

// The `data` array of a success envelope. Throws for anything else:
//   401, MISSING_API_KEY / INVALID_API_KEY           -> Fatal (the key is never quoted)
//   403 (not allowed on this plan)                   -> Fatal naming plan / page_size
//   404, 400, other 4xx, 501                         -> Permanent
//   429 RATE_LIMIT / DAILY_LIMIT / REQUEST_LIMIT, 408, other 5xx -> Retry
//   2xx with a malformed or truncated body           -> Retry
//   2xx with "error" in the body                     -> by its code as above, else Permanent
// `request` is the request that got this response (named in messages).
const rapidjson::Value& success_data(const sdk::Response& response, const ParsedBody& body,
                                     const sdk::Request& request, const Config& config);

// Passes `_metadata` (apiRateLimit per minute, apiDailyRequestsRemaining) to the host's pacing
// when the body carries it; -1 for a value it lacks.
void forward_rate_limits(const ParsedBody& body, const sdk::Emitter& out);

}  // namespace cardsync::justtcg
