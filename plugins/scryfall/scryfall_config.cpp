#include "scryfall_config.hpp"

#include <cardsync/sdk.hpp>

namespace cardsync::scryfall {
namespace {

std::vector<std::string> strings(const rapidjson::Value& array) {
  std::vector<std::string> out;
  for (const auto& v : array.GetArray()) {
    if (!v.IsString()) throw sdk::Fatal("providers.scryfall: expected a list of strings");
    out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

}  // namespace

Config Config::from_json(const rapidjson::Value& section) {
  Config c;
  if (!section.IsObject()) return c;
  if (auto it = section.FindMember("base_url"); it != section.MemberEnd() && it->value.IsString()) {
    c.base_url = it->value.GetString();
    while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  }
  if (auto it = section.FindMember("user_agent");
      it != section.MemberEnd() && it->value.IsString()) {
    c.user_agent = it->value.GetString();
  }
  if (auto it = section.FindMember("requests_per_second");
      it != section.MemberEnd() && it->value.IsNumber()) {
    c.requests_per_second = it->value.GetDouble();
  }
  if (auto it = section.FindMember("sets"); it != section.MemberEnd() && it->value.IsArray()) {
    c.sets = strings(it->value);
  }
  if (auto it = section.FindMember("currencies");
      it != section.MemberEnd() && it->value.IsArray()) {
    c.currencies = strings(it->value);
  }
  if (c.base_url.rfind("http://", 0) != 0 && c.base_url.rfind("https://", 0) != 0) {
    throw sdk::Fatal("providers.scryfall.base_url must start with http:// or https://");
  }
  if (c.currencies.empty()) throw sdk::Fatal("providers.scryfall.currencies must not be empty");
  return c;
}

}  // namespace cardsync::scryfall
