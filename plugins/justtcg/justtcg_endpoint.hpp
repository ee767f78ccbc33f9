#pragma once
// Builds the HTTP requests JustTCG expects (key header, JSON accept, encoded query); the query
// of a request this provider built is read back with sdk::query_value, so a response can be
// placed in its pass.

#include <cardsync/query.hpp>
#include <cardsync/sdk.hpp>

#include <string>
#include <string_view>

#include "justtcg_config.hpp"

namespace cardsync::justtcg {

using sdk::query_value;
using QueryParams = sdk::QueryParams;

// GET <base_url><path>?<params>, values percent-encoded.
sdk::Request get_request(const Config& config, std::string_view path, const QueryParams& params);
// POST <base_url><path> with a JSON body.
sdk::Request post_request(const Config& config, std::string_view path, std::string body);

}  // namespace cardsync::justtcg
