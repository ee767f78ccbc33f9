#include "psa_config.hpp"

#include <cardsync/sdk.hpp>

namespace cardsync::psa {
namespace {

std::string string_option(const rapidjson::Value& section, const char* key) {
  if (!section.IsObject()) return {};
  auto it = section.FindMember(key);
  if (it == section.MemberEnd() || it->value.IsNull()) return {};
  if (!it->value.IsString()) {
    throw sdk::Fatal(std::string("providers.psa.") + key + " must be a string");
  }
  return {it->value.GetString(), it->value.GetStringLength()};
}

}  // namespace

Config Config::from_json(const rapidjson::Value& section) {
  Config c;
  if (std::string url = string_option(section, "base_url"); !url.empty()) c.base_url = url;
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  if (c.base_url.rfind("http://", 0) != 0 && c.base_url.rfind("https://", 0) != 0) {
    throw sdk::Fatal("providers.psa.base_url must start with http:// or https://");
  }
  c.token = string_option(section, "token");
  if (c.token.empty()) {
    throw sdk::Fatal(
        "providers.psa.token is not set: PSA needs an access token on every request "
        "(set it to \"${PSA_TOKEN}\")");
  }
  return c;
}

}  // namespace cardsync::psa
