#pragma once
// Judges a Scryfall answer. Success is a list object (a search, the sets) or a card object
// (GET /cards/{id}); failures are error objects ({"object":"error","code","status","details"})
// and map to the SDK's outcomes (http_status.hpp):
//   404 not_found           -> no list / no card (the caller decides: a search that matches
//                              nothing, a card id Scryfall does not know)
//   408, 429, 5xx but 501   -> sdk::Retry      (the host already retried; try the job later)
//   401, 403                -> sdk::Fatal      (blocked: check user_agent and pacing)
//   any other 4xx, 501      -> sdk::Permanent
//   a 2xx body that is not a list with a "data" array, or not a card object where a card
//   is expected (truncated, HTML) -> sdk::Retry

#include <cardsync/parsed_body.hpp>
#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace cardsync::scryfall {

struct ListPage {
  const rapidjson::Value* data = nullptr;  // the "data" array, borrowed from the body
  bool has_more = false;
  std::string next_page;  // absolute URL, empty when there is none
};

// A list answer; nullopt for a 404 not_found; throws sdk::Error for every other failure.
std::optional<ListPage> read_list(const sdk::Request& request, const sdk::Response& response,
                                  const sdk::ParsedBody& body, const std::string& base_url);
// The card object of GET /cards/{id} (borrowed from `body`); nullptr for a 404 not_found;
// throws sdk::Error for every other failure.
const rapidjson::Value* read_card(const sdk::Request& request, const sdk::Response& response,
                                  const sdk::ParsedBody& body, const std::string& base_url);

}  // namespace cardsync::scryfall
