#pragma once
// Payloads of the JustTCG job types, as JSON text in the queue. Every field is optional:
//
//   justtcg.games    key "all"        {"mode":"full","games":["pokemon"]}
//   justtcg.sets     key <game slug>  {"mode":"full"}
//   justtcg.cards    key <set id>     {"game":"pokemon","mode":"full","updated_after":1735689600}
//   justtcg.refresh  key <any>        {"lookups":[{"cardId":"..."},{"tcgplayerId":"42"}]}
//
// `mode` and `games` override the config for one sync (and flow down to the jobs it spawns);
// `updated_after` forces an incremental floor for one set.

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "justtcg_config.hpp"

namespace cardsync::justtcg {

// One POST /cards lookup: id fields and filters, every value a string as JustTCG expects.
using Lookup = std::vector<std::pair<std::string, std::string>>;

struct JobPayload {
  std::optional<Mode> mode;
  std::optional<std::vector<std::string>> games;
  std::optional<std::string> game;
  std::optional<std::int64_t> updated_after;
  std::vector<Lookup> lookups;

  // Throws sdk::Permanent naming the bad field.
  static JobPayload parse(std::string_view json);
  std::string to_json() const;
};

// Reads lookups: objects (numbers, booleans and string lists become strings) or bare strings
// (a card id). Throws sdk::Permanent when one names no card or variant id.
std::vector<Lookup> parse_lookups(const rapidjson::Value& list, std::string_view where);
// The POST /cards body for lookups[begin, end): a bare JSON array.
std::string lookups_body(const std::vector<Lookup>& lookups, std::size_t begin, std::size_t end);
// Reads "mode" and "games" members into `out`. Throws sdk::Permanent.
void parse_overrides(const rapidjson::Value& obj, std::string_view where, JobPayload& out);

}  // namespace cardsync::justtcg
