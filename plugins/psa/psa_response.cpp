#include "psa_response.hpp"

namespace cardsync::psa {
namespace {

std::string scrubbed(std::string text, const Config& config) {
  if (!config.token.empty()) {
    for (std::size_t at = text.find(config.token); at != std::string::npos;
         at = text.find(config.token, at)) {
      text.replace(at, config.token.size(), "[redacted]");
    }
  }
  constexpr std::size_t kMax = 200;
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

std::string string_member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// PSA's own words from an error body: {"Message": ...} or {"ServerMessage": ...}.
std::string upstream_message(std::string_view body, const Config& config) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  std::string message;
  if (!doc.HasParseError()) {
    message = string_member(doc, "ServerMessage");
    if (message.empty()) message = string_member(doc, "Message");
  }
  return scrubbed(message, config);
}

std::string detail(const sdk::Response& response, const Config& config) {
  std::string out = "(HTTP " + std::to_string(response.status);
  if (std::string message = upstream_message(response.body, config); !message.empty()) {
    out += ": " + message;
  }
  return out + ")";
}

}  // namespace

std::string describe(const sdk::Request& request, const Config& config) {
  std::string_view url = request.url;
  if (url.rfind(config.base_url, 0) == 0) url.remove_prefix(config.base_url.size());
  if (!url.empty() && url.front() == '/') url.remove_prefix(1);
  return request.method + " " + std::string(url);
}

bool quota_spent(const sdk::Response& response) {
  return response.status == 429;
}

std::optional<std::string> invalid_cert(const sdk::Response& response, const sdk::Request& request,
                                        const Config& config) {
  const int status = response.status;
  if (status != 204 && status != 400 && status != 404) return std::nullopt;
  return "PSA calls the cert number invalid: " + describe(request, config) + " " +
         detail(response, config);
}

void check_status(const sdk::Response& response, const sdk::Request& request, Endpoint endpoint,
                  const Config& config) {
  const int status = response.status;
  if (status >= 200 && status <= 299 && status != 204) return;
  if (endpoint == Endpoint::images && (status == 204 || status == 404)) return;
  if (status == 401 || status == 403) {
    throw sdk::Fatal("PSA refused the access token " + detail(response, config) +
                     ": check providers.psa.token");
  }
  if (status == 500) {
    throw sdk::Fatal("PSA kept answering " + describe(request, config) + " with HTTP 500 after " +
                     "the host's retries; PSA does that for an invalid or expired token, so " +
                     "check providers.psa.token (if PSA itself was failing, requeue the job " +
                     "with `cardsync queue retry`)");
  }
  if (status == 429) {
    throw sdk::Retry("PSA's daily call quota is spent " + detail(response, config) +
                     "; it resets at 00:00 UTC");
  }
  if (status == 408 || (status >= 500 && status != 501)) {
    throw sdk::Retry("PSA failed to answer " + describe(request, config) + " " +
                     detail(response, config));
  }
  if (auto invalid = invalid_cert(response, request, config)) throw sdk::Permanent(*invalid);
  throw sdk::Permanent("PSA rejected " + describe(request, config) + " " +
                       detail(response, config));
}

void parse_body(const sdk::Response& response, const sdk::Request& request, const Config& config,
                rapidjson::Document& doc) {
  doc.Parse(response.body.data(), response.body.size());
  if (doc.HasParseError()) {
    throw sdk::Retry("PSA sent a truncated or malformed body for " + describe(request, config) +
                     " (HTTP " + std::to_string(response.status) + ", " +
                     std::to_string(response.body.size()) + " bytes)");
  }
}

std::optional<std::string> invalid_request(const rapidjson::Document& doc, std::string_view cert) {
  if (!doc.IsObject()) return std::nullopt;
  auto valid = doc.FindMember("IsValidRequest");
  if (valid == doc.MemberEnd() || !valid->value.IsBool() || valid->value.GetBool()) {
    return std::nullopt;
  }
  std::string message = string_member(doc, "ServerMessage");
  return "PSA calls the request for cert " + std::string(cert) + " invalid" +
         (message.empty() ? std::string() : ": " + message.substr(0, 200));
}

const rapidjson::Value* found_cert(const rapidjson::Document& doc) {
  if (!doc.IsObject() || invalid_request(doc, {})) return nullptr;
  auto it = doc.FindMember("PSACert");
  if (it == doc.MemberEnd() || !it->value.IsObject()) return nullptr;
  auto number = it->value.FindMember("CertNumber");
  if (number == it->value.MemberEnd()) return nullptr;
  if (number->value.IsString() && number->value.GetStringLength() > 0) return &it->value;
  if (number->value.IsInt64()) return &it->value;
  return nullptr;
}

}  // namespace cardsync::psa
