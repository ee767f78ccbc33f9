#pragma once
// The JustTCG provider: turns catalog jobs into JustTCG requests and JustTCG responses into
// canonical game, set, card and variant records. No I/O, no sleeping, no retrying: the host
// does all of that; this class only builds requests, maps items and judges responses.
//
//   justtcg.games   "all"     GET /games           -> games, one justtcg.sets job per game
//   justtcg.sets    <game>    GET /sets (paged)    -> sets, one justtcg.cards job per set
//   justtcg.cards   <set id>  GET /cards (paged)   -> cards and variants; the set's sync cursor
//   justtcg.refresh <any>     POST /cards (batch)  -> cards and variants of named cards
//
// See README.md for payloads, cursors and the incremental contract with the host.

#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <string_view>

#include "justtcg_config.hpp"
#include "justtcg_schemas.hpp"
#include "parsed_body.hpp"

namespace cardsync::justtcg {

class JustTcgProvider : public sdk::Provider {
 public:
  static constexpr const char* kName = "justtcg";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "JustTCG card catalog and prices: games, sets, cards and price variants";
  static inline const char* const kConfigSchema = config_schema_json();
  static constexpr const char* kService = "justtcg";
  static constexpr const char* kJobTypes[] = {"justtcg.games", "justtcg.sets", "justtcg.cards",
                                              "justtcg.refresh", nullptr};
  static inline const char* const kItemSchemas = item_schemas_json();

  static constexpr std::string_view kGamesJob = "justtcg.games";
  static constexpr std::string_view kSetsJob = "justtcg.sets";
  static constexpr std::string_view kCardsJob = "justtcg.cards";
  static constexpr std::string_view kRefreshJob = "justtcg.refresh";

  // Throws sdk::Fatal for a config that cannot work (no key, page_size above the plan).
  explicit JustTcgProvider(const rapidjson::Value& config);
  explicit JustTcgProvider(Config config);

  const Config& config() const { return config_; }

  // `spec`: empty or {} (catalog sync as configured), {"mode":"full"}, {"games":["pokemon"]},
  // or {"refresh":[{"cardId":"..."}, "another-card-id", ...]}.
  void plan(std::string_view spec, Emitter& out) override;
  void start(const Job& job, Emitter& out) override;
  void handle(const Job& job, const Request& request, const Response& response,
              Emitter& out) override;

 private:
  void handle_games(const Job& job, const rapidjson::Value& data, const ParsedBody& body,
                    Emitter& out) const;
  void handle_sets(const Job& job, const Request& request, const rapidjson::Value& data,
                   const ParsedBody& body, Emitter& out) const;
  void handle_cards(const Job& job, const Request& request, const rapidjson::Value& data,
                    const ParsedBody& body, Emitter& out) const;
  void handle_refresh(const Job& job, const rapidjson::Value& data, const ParsedBody& body,
                      Emitter& out) const;

  Config config_;
  const ItemSchemas& schemas_;
};

}  // namespace cardsync::justtcg
