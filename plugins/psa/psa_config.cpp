#include "psa_config.hpp"

#include <cardsync/config_reader.hpp>

namespace cardsync::psa {

Config Config::from_json(const rapidjson::Value& section) {
  const sdk::ConfigReader r(section, "providers.psa");
  Config c;
  c.base_url = r.base_url("base_url", c.base_url);
  c.token = r.required_string("token",
                              "PSA needs an access token on every request (set it to "
                              "\"${PSA_TOKEN}\")");
  return c;
}

}  // namespace cardsync::psa
