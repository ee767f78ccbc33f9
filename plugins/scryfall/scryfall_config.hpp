#pragma once
// The providers.scryfall section, read once at create(). The host has already validated it
// against kConfigSchemaJson; defaults live here and in the schema.

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace cardsync::scryfall {

struct Config {
  std::string base_url = "https://api.scryfall.com";  // without a trailing slash
  std::string user_agent = "cardsync-scryfall/1.0 (card shop catalog sync)";
  double requests_per_second = 10;
  std::vector<std::string> sets;                         // empty: every set
  std::vector<std::string> currencies = {"usd", "eur"};  // price preference

  // Throws sdk::Fatal for a section that cannot work.
  static Config from_json(const rapidjson::Value& section);
};

}  // namespace cardsync::scryfall
