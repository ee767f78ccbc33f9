#pragma once
// The providers.psa config section, read once when the host creates the provider. The plugin
// itself uses base_url and token; daily_quota is declared in its schema (so it is validated
// and documented with the provider) and made the psa service's pacing quota by the host.

#include <rapidjson/document.h>

#include <string>

namespace cardsync::psa {

struct Config {
  std::string base_url = "https://api.psacard.com/publicapi";  // no trailing slash
  std::string token;

  // Reads an already schema-validated section; tolerates keys it does not use. Throws
  // sdk::Fatal naming the key to fix.
  static Config from_json(const rapidjson::Value& section);
};

}  // namespace cardsync::psa
