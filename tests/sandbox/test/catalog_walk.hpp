#pragma once
// A minimal correct JustTCG client for the tests: pages games -> sets -> cards the way the
// upstream notes say (offset += meta.limit while hasMore), rejects schema-invalid items the
// way the real pipeline quarantines them (a bad card with its variants, a bad variant alone,
// keeping its card and the card's other variants), de-duplicates repeated items, and sums the
// truth checksum over what it kept.

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "sandbox/truth.hpp"
#include "sandbox_fixture.hpp"

namespace cardsync::sandbox::testing {

struct CatalogWalk {
  std::set<std::string> games;
  std::set<std::string> sets;
  std::set<std::string> valid_cards;
  std::set<std::string> invalid_cards;
  std::set<std::string> invalid_variants;         // rejected alone, their card kept
  std::map<std::string, std::uint64_t> variants;  // id -> fingerprint
  int requests = 0;
  bool ok = true;

  std::uint64_t checksum() const {
    std::uint64_t sum = 0;
    for (const auto& [id, fp] : variants) sum += fp;
    return sum;
  }
};

// A card is valid when it has a string name and a variants array; a variant when it has a
// non-negative numeric price.
inline bool card_is_valid(const rapidjson::Value& card) {
  return card.HasMember("name") && card["name"].IsString() && card.HasMember("variants") &&
         card["variants"].IsArray();
}

inline bool variant_is_valid(const rapidjson::Value& variant) {
  return variant.HasMember("price") && variant["price"].IsNumber() &&
         variant["price"].GetDouble() >= 0;
}

inline void keep_card(CatalogWalk& walk, const rapidjson::Value& card) {
  std::string id = card["id"].GetString();
  if (!card_is_valid(card)) {
    walk.invalid_cards.insert(id);
    return;
  }
  walk.valid_cards.insert(id);
  for (const auto& v : card["variants"].GetArray()) {
    if (!variant_is_valid(v)) {
      walk.invalid_variants.insert(v["id"].GetString());
      continue;
    }
    auto cents = std::llround(v["price"].GetDouble() * 100.0);
    walk.variants[v["id"].GetString()] = variant_fingerprint(
        v["id"].GetString(), id, v["condition"].GetString(), v["printing"].GetString(), cents);
  }
}

// How many variants of `card_id` the walk kept (variant ids are "<card id>_...").
inline std::size_t kept_variants_of(const CatalogWalk& walk, const std::string& card_id) {
  const std::string prefix = card_id + "_";
  std::size_t n = 0;
  for (auto it = walk.variants.lower_bound(prefix);
       it != walk.variants.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    ++n;
  }
  return n;
}

// Pages `target` (which has no offset/limit yet) and calls `each` for every item.
template <class Fetch, class Each>
void page_through(Fetch&& fetch, CatalogWalk& walk, const std::string& target, unsigned limit,
                  Each&& each) {
  std::uint64_t offset = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    std::string sep = target.find('?') == std::string::npos ? "?" : "&";
    rapidjson::Document doc = fetch(target + sep + "limit=" + std::to_string(limit) +
                                    "&offset=" + std::to_string(offset));
    ++walk.requests;
    if (!doc.IsObject() || !doc.HasMember("data") || !doc.HasMember("meta")) {
      walk.ok = false;
      return;
    }
    for (const auto& item : doc["data"].GetArray()) each(item);
    const auto& meta = doc["meta"];
    if (!meta["hasMore"].GetBool()) return;
    offset += meta["limit"].GetUint64();
  }
  walk.ok = false;
}

template <class Fetch>
CatalogWalk walk_catalog(Fetch&& fetch, unsigned set_limit, unsigned card_limit) {
  CatalogWalk walk;
  rapidjson::Document games = fetch("/v1/games");
  ++walk.requests;
  for (const auto& g : games["data"].GetArray()) walk.games.insert(g["id"].GetString());
  for (const auto& game : walk.games) {
    std::set<std::string> sets;
    page_through(fetch, walk, "/v1/sets?game=" + game, set_limit,
                 [&](const rapidjson::Value& s) { sets.insert(s["id"].GetString()); });
    for (const auto& set : sets) {
      walk.sets.insert(set);
      page_through(fetch, walk, "/v1/cards?set=" + set, card_limit,
                   [&](const rapidjson::Value& c) { keep_card(walk, c); });
    }
  }
  return walk;
}

}  // namespace cardsync::sandbox::testing
