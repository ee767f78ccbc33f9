#include "psa_response.hpp"

#include <cardsync/error_body.hpp>
#include <cardsync/http_status.hpp>
#include <cardsync/json_body.hpp>
#include <cardsync/json_fields.hpp>

namespace cardsync::psa {
namespace {

using sdk::Outcome;

// PSA's own words from an error body: {"ServerMessage": ...} or {"Message": ...}.
const sdk::ErrorFields kErrorFields({}, {"/ServerMessage", "/Message"});

constexpr const char* kInvalidCert = "PSA calls the cert number invalid: {request} {detail}";

const sdk::StatusTable kStatusTable(
    "PSA",
    {{401, 403, "", Outcome::fatal,
      "PSA refused the access token {detail}: check providers.psa.token"},
     {500, 500, "", Outcome::fatal,
      "PSA kept answering {request} with HTTP 500 after the host's retries; PSA does that for "
      "an invalid or expired token, so check providers.psa.token (if PSA itself was failing, "
      "requeue the job with `cardsync queue retry`)"},
     {429, 429, "", Outcome::retry,
      "PSA's daily call quota is spent {detail}; it resets at 00:00 UTC"},
     {204, 204, "", Outcome::permanent, kInvalidCert},
     {400, 400, "", Outcome::permanent, kInvalidCert},
     {404, 404, "", Outcome::permanent, kInvalidCert}});

// 204 and 404 from the images endpoint are PSA's "no images", whatever their body says.
bool no_images(const sdk::Response& response, Endpoint endpoint) {
  return endpoint == Endpoint::images && (response.status == 204 || response.status == 404);
}

}  // namespace

std::optional<std::string> invalid_cert(const sdk::Response& response, const sdk::Request& request,
                                        const Config& config) {
  const int status = response.status;
  if (status != 204 && status != 400 && status != 404) return std::nullopt;
  const sdk::ParsedBody body(response.body);
  return kStatusTable.message(kStatusTable.match(status, ""), status,
                              kErrorFields.read(body.root(), config.token),
                              sdk::request_text(request, config.base_url + "/"));
}

bool check_answer(const sdk::Response& response, const sdk::ParsedBody& body,
                  const sdk::Request& request, Endpoint endpoint, const Config& config) {
  if (no_images(response, endpoint)) return false;
  const std::string what = sdk::request_text(request, config.base_url + "/");
  kStatusTable.check(response.status, kErrorFields.read(body.root(), config.token), what);
  if (!body.ok()) {
    throw sdk::malformed_body("PSA", what, response.status, response.body.size(), body.error());
  }
  return true;
}

std::optional<std::string> invalid_request(const rapidjson::Value& doc, std::string_view cert) {
  const rapidjson::Value* valid = sdk::member(doc, "IsValidRequest");
  if (valid == nullptr || !valid->IsBool() || valid->GetBool()) return std::nullopt;
  const std::string message(sdk::text_member(doc, "ServerMessage"));
  return "PSA calls the request for cert " + std::string(cert) + " invalid" +
         (message.empty() ? std::string() : ": " + message.substr(0, 200));
}

const rapidjson::Value* found_cert(const rapidjson::Value& doc) {
  if (!doc.IsObject() || invalid_request(doc, {})) return nullptr;
  const rapidjson::Value* cert = sdk::member(doc, "PSACert");
  const rapidjson::Value* number = cert != nullptr ? sdk::member(*cert, "CertNumber") : nullptr;
  if (number == nullptr) return nullptr;
  if (number->IsString() && number->GetStringLength() > 0) return cert;
  return number->IsInt64() ? cert : nullptr;
}

}  // namespace cardsync::psa
