#pragma once
// Judges a PSA answer (../shared/upstream-apis.md, "PSA public API"). PSA reports most
// outcomes through the status, but "not found" is a 200 whose body has no usable
// PSACert.CertNumber (e.g. {"IsValidRequest": true, "ServerMessage": "No data found"}), and
// an invalid token is usually a 500, not a 401.
//
//   401 / 403                      -> Fatal: the token is refused
//   500 (reaching the provider)    -> Fatal: the host has already retried it, and PSA answers
//                                     every call of a bad token with 500
//   429                            -> Retry: the day's call quota is spent
//   408, 502, 503, 504, other 5xx  -> Retry
//   204, 400, 404                  -> Permanent: PSA calls the cert number invalid
//   501, other non-2xx             -> Permanent
//   2xx with a body that is not JSON (truncated, HTML) -> Retry
// The token is never part of a message.

#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "psa_config.hpp"

namespace cardsync::psa {

enum class Endpoint { cert, images };

// Throws as above for every status but 2xx; for the images endpoint 204 and 404 are not
// thrown (the caller reads them as "no images").
void check_status(const sdk::Response& response, const sdk::Request& request, Endpoint endpoint,
                  const Config& config);

// Parses a 2xx body; throws sdk::Retry naming the request when it is not JSON.
void parse_body(const sdk::Response& response, const sdk::Request& request, const Config& config,
                rapidjson::Document& doc);

// The PSACert object of a GetByCertNumber answer, or nullptr when PSA says it has no such
// cert. Throws sdk::Permanent when PSA says the request itself was invalid
// ("IsValidRequest": false).
const rapidjson::Value* found_cert(const rapidjson::Document& doc, std::string_view cert);

// "GET cert/GetByCertNumber/123": the request without the base URL.
std::string describe(const sdk::Request& request, const Config& config);

}  // namespace cardsync::psa
