#pragma once
// Judges a PSA answer (docs/upstream-apis.md, "PSA public API"). PSA reports most
// outcomes through the status, but "not found" is a 200 whose body has no usable
// PSACert.CertNumber (e.g. {"IsValidRequest": true, "ServerMessage": "No data found"}), and
// an invalid token is usually a 500, not a 401.
//
//   401 / 403                      -> Fatal: the token is refused
//   500 (reaching the provider)    -> Fatal: the host has already retried it, and PSA answers
//                                     every call of a bad token with 500
//   429                            -> Retry: the day's call quota is spent (the provider also
//                                     reports 0 calls left today: see quota_spent)
//   408, 502, 503, 504, other 5xx  -> Retry
//   204, 400, 404                  -> Permanent: PSA calls the cert number invalid (from
//                                     the cert endpoint the provider takes them, like a 200
//                                     with "IsValidRequest": false, as an answer to remember
//                                     instead: see invalid_cert / invalid_request)
//   501, other non-2xx             -> Permanent
//   2xx with a body that is not JSON (truncated, HTML) -> Retry
// The token is never part of a message.

#include <cardsync/parsed_body.hpp>
#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

#include "psa_config.hpp"

namespace cardsync::psa {

enum class Endpoint { cert, images };

// PSA's 429 means the token's calls for the UTC day are spent, not "slow down"
// (docs/upstream-apis.md): nothing more will be answered before 00:00 UTC.
inline bool quota_spent(const sdk::Response& response) {
  return response.status == 429;
}

// Why PSA calls the cert number of a GetByCertNumber answer invalid, for the log: a 204, 400
// or 404; nullopt for any other status.
std::optional<std::string> invalid_cert(const sdk::Response& response, const sdk::Request& request,
                                        const Config& config);

// Why PSA calls the request of a parsed GetByCertNumber answer invalid ("IsValidRequest":
// false, with its ServerMessage); nullopt otherwise.
std::optional<std::string> invalid_request(const rapidjson::Value& doc, std::string_view cert);

// Throws as above for every status but 2xx, and for a 2xx body that is not JSON. False for
// 204 and 404 from the images endpoint: PSA's "no images", whatever their body says.
bool check_answer(const sdk::Response& response, const sdk::ParsedBody& body,
                  const sdk::Request& request, Endpoint endpoint, const Config& config);

// The PSACert object of a GetByCertNumber answer, or nullptr when PSA says it has no such
// cert (or calls the request invalid: ask invalid_request first).
const rapidjson::Value* found_cert(const rapidjson::Value& doc);

}  // namespace cardsync::psa
