#pragma once
// Judges a JustTCG response: either a usable success envelope, or an sdk::Fatal / Permanent /
// Retry whose message tells an operator what happened and what to change. JustTCG reports
// errors as {"error": "...", "code": "..."}, with a matching status or, for some validation
// errors, inside a 200: both the status and the body are checked.

#include <cardsync/http_status.hpp>
#include <cardsync/parsed_body.hpp>
#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include "justtcg_config.hpp"

namespace cardsync::justtcg {

// JustTCG's answers, as rules over status and error code (the plan's message names `config`'s
// plan and page size):
//   401, MISSING_API_KEY / INVALID_API_KEY           -> Fatal (the key is never quoted)
//   403 (not allowed on this plan)                   -> Fatal naming plan / page_size
//   404, 400, other 4xx, 501                         -> Permanent
//   429 RATE_LIMIT / DAILY_LIMIT / REQUEST_LIMIT, 408, other 5xx -> Retry
sdk::StatusTable status_table(const Config& config);

// The `data` array of a success envelope. Throws per `table` for a failed status, and:
//   2xx with a malformed or truncated body           -> Retry
//   2xx with "error" in the body                     -> by its code as above, else Permanent
// `request` is the request that got this response (named in messages).
const rapidjson::Value& success_data(const sdk::Response& response, const sdk::ParsedBody& body,
                                     const sdk::Request& request, const Config& config,
                                     const sdk::StatusTable& table);

// Passes `_metadata` (apiRateLimit per minute, apiDailyRequestsRemaining) to the host's pacing
// when the body carries it; -1 for a value it lacks.
void forward_rate_limits(const sdk::ParsedBody& body, const sdk::Emitter& out);

}  // namespace cardsync::justtcg
