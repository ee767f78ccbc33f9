#pragma once
// Builds the HTTP requests JustTCG expects (key header, JSON accept, encoded query) and reads
// back the query of a request this provider built, so a response can be placed in its pass.

#include <cardsync/sdk.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "justtcg_config.hpp"

namespace cardsync::justtcg {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// GET <base_url><path>?<params>, values percent-encoded.
sdk::Request get_request(const Config& config, std::string_view path, const QueryParams& params);
// POST <base_url><path> with a JSON body.
sdk::Request post_request(const Config& config, std::string_view path, std::string body);

// The decoded value of query parameter `name` in `url`; nullopt when absent.
std::optional<std::string> query_value(std::string_view url, std::string_view name);

std::string percent_encode(std::string_view text);

}  // namespace cardsync::justtcg
