#include "scryfall_config.hpp"

#include <cardsync/config_reader.hpp>

namespace cardsync::scryfall {

Config Config::from_json(const rapidjson::Value& section) {
  const sdk::ConfigReader r(section, "providers.scryfall");
  Config c;
  c.base_url = r.base_url("base_url", c.base_url);
  c.user_agent = r.string("user_agent", c.user_agent);
  c.requests_per_second = r.number("requests_per_second", c.requests_per_second);
  c.sets = r.strings("sets");
  c.currencies = r.strings("currencies", c.currencies);
  if (c.currencies.empty()) r.fail("currencies", "must not be empty");
  return c;
}

}  // namespace cardsync::scryfall
