#pragma once
// The JustTCG provider: turns catalog jobs into JustTCG requests and JustTCG responses into
// canonical game, set, card and variant records. No I/O, no sleeping, no retrying: the host
// does all of that; this class only builds requests, maps items and judges responses.
//
//   justtcg.games   "all"     GET /games           -> games, one justtcg.sets job per game
//   justtcg.sets    <game>    GET /sets (paged)    -> sets, one justtcg.cards job per set
//   justtcg.cards   <set id>  GET /cards (paged)   -> cards and variants; the set's sync cursor
//   justtcg.refresh <any>     POST /cards (batch)  -> cards and variants of named cards
//   justtcg.card    <tcgplayer product id>
//                             GET /cards?tcgplayerId=
//                                                  -> the card and its variants; cursor
//                                                     "found", or "not_found" on empty data
//
// justtcg.card is the "card" lookup (`cardsync lookup justtcg <tcgplayer id>`), which the host
// runs on demand and never plans: plan() emits catalog and refresh jobs only.
//
// See README.md for payloads, cursors and the incremental contract with the host.

#include <cardsync/parsed_body.hpp>
#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>

#include <string_view>

#include "justtcg_config.hpp"
#include "justtcg_response.hpp"
#include "justtcg_schemas.hpp"

namespace cardsync::justtcg {

class JustTcgProvider : public sdk::Provider {
 public:
  static constexpr const char* kName = "justtcg";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "JustTCG card catalog and prices: games, sets, cards and price variants";
  static inline const char* const kConfigSchema = embedded::justtcg_config_schema.data();
  static constexpr const char* kService = "justtcg";
  static constexpr const char* kJobTypes[] = {"justtcg.games",   "justtcg.sets", "justtcg.cards",
                                              "justtcg.refresh", "justtcg.card", nullptr};
  static inline const char* const kItemSchemas = embedded::justtcg_item_schemas.data();

  static constexpr std::string_view kGamesJob = "justtcg.games";
  static constexpr std::string_view kSetsJob = "justtcg.sets";
  static constexpr std::string_view kCardsJob = "justtcg.cards";
  static constexpr std::string_view kRefreshJob = "justtcg.refresh";
  static constexpr std::string_view kCardJob = "justtcg.card";
  // One lookup: a card by its TCGplayer product id, with its price variants. Its records are
  // the ones the catalog sync stores for the card (keyed by JustTCG's ids), so a lookup
  // refreshes the same rows. Prices move within the day: fresh for an hour.
  static constexpr cs_lookup_kind kLookups[] = {sdk::lookup_kind({
      .record_kind = CS_RECORD_CARD,
      .name = "card",
      .job_type = "justtcg.card",
      .description = "a card by its TCGplayer product id: the card and its price variants",
      .key_example = "233180",
      .child_kind = CS_RECORD_VARIANT,
      .child_field = "variants",
      .ttl_seconds = int64_t{3600},
      .not_found_ttl_seconds = int64_t{24} * 3600,
  })};

  // Throws sdk::Fatal for a config that cannot work (no key, page_size above the plan).
  explicit JustTcgProvider(const rapidjson::Value& config);
  explicit JustTcgProvider(Config config);

  const Config& config() const { return config_; }

  // `spec`: empty or {} (catalog sync as configured), {"mode":"full"}, {"games":["pokemon"]},
  // or {"refresh":[{"cardId":"..."}, "another-card-id", ...]}.
  void plan(std::string_view spec, Emitter& out) override;
  void start(const Job& job, Emitter& out) override;
  // A TCGplayer product id as people type it, in canonical form: its digits without leading
  // zeros. Throws sdk::Permanent saying what an id looks like otherwise.
  std::string normalise_key(std::string_view kind, std::string_view input) const;
  void handle(const Job& job, const Request& request, const Response& response,
              Emitter& out) override;

 private:
  void handle_games(const Job& job, const rapidjson::Value& data, const sdk::ParsedBody& body,
                    Emitter& out) const;
  void handle_sets(const Job& job, const Request& request, const rapidjson::Value& data,
                   const sdk::ParsedBody& body, Emitter& out) const;
  void handle_cards(const Job& job, const Request& request, const rapidjson::Value& data,
                    const sdk::ParsedBody& body, Emitter& out) const;
  void handle_refresh(const Job& job, const rapidjson::Value& data, const sdk::ParsedBody& body,
                      Emitter& out) const;
  void handle_card(const Job& job, const Request& request, const rapidjson::Value& data,
                   const sdk::ParsedBody& body, Emitter& out) const;

  Config config_;
  const ItemSchemas& schemas_;
  sdk::StatusTable status_;
};

}  // namespace cardsync::justtcg
