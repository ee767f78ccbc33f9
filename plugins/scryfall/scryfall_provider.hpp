#pragma once
// The Scryfall provider: Magic: The Gathering sets, every printing of each set, and a price
// variant per finish. No I/O: it builds requests and reads responses; the host sends them,
// paces them (10 a second by default, reported from start()), retries and stores.
//
//   scryfall.sets   "all"       GET /sets                          -> game "magic", sets,
//                                                                     one scryfall.cards job per
//                                                                     set
//   scryfall.cards  <set code>  GET /cards/search?q=e:<code>&unique=prints, then each
//                               next_page (checkpointed)           -> cards and variants
//   scryfall.card   <card id>   GET /cards/{id}                    -> the card and its
//                                                                     variants; cursor "found",
//                                                                     or "not_found" on a 404
//
// scryfall.card is the "card" lookup (`cardsync lookup scryfall <id>`): the host runs it on
// demand and keeps its records fresh for a day, as Scryfall updates prices once a day.
//
// See README.md for the mapping, cursors and error handling.

#include <cardsync/sdk.hpp>
#include <cardsync/validation.hpp>

#include <string>
#include <string_view>

#include "scryfall_config.hpp"
#include "scryfall_embedded_schemas.hpp"
#include "scryfall_response.hpp"

namespace cardsync::scryfall {

class ScryfallProvider : public sdk::Provider {
 public:
  static constexpr const char* kName = "scryfall";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "Scryfall: Magic: The Gathering sets, printings and their daily prices";
  static inline const char* const kConfigSchema = embedded::scryfall_config_schema.data();
  static constexpr const char* kService = "scryfall";
  static constexpr const char* kJobTypes[] = {"scryfall.sets", "scryfall.cards", "scryfall.card",
                                              nullptr};
  static inline const char* const kItemSchemas = embedded::scryfall_item_schemas.data();

  static constexpr std::string_view kSetsJob = "scryfall.sets";
  static constexpr std::string_view kCardsJob = "scryfall.cards";
  static constexpr std::string_view kCardJob = "scryfall.card";
  // One lookup: a printing by its Scryfall id, with a variant per finish. Its records are
  // the ones the set sync stores for the card, so a lookup refreshes the same rows.
  static constexpr cs_lookup_kind kLookups[] = {sdk::lookup_kind({
      .record_kind = CS_RECORD_CARD,
      .name = "card",
      .job_type = "scryfall.card",
      .description = "a Magic printing by its Scryfall id: the card and a price per finish",
      .key_example = "0a1b2c3d-1111-4222-8333-444455556666",
      .child_kind = CS_RECORD_VARIANT,
      .child_field = "variants",
      .ttl_seconds = int64_t{24} * 3600,
      .not_found_ttl_seconds = int64_t{24} * 3600,
  })};

  explicit ScryfallProvider(const rapidjson::Value& config);

  // `spec`: empty or {} (every configured set), or {"sets": ["neo", ...]}.
  void plan(std::string_view spec, Emitter& out) override;
  void start(const Job& job, Emitter& out) override;
  // A Scryfall card id as people paste it, in canonical form: the UUID in lowercase, spaces
  // around it dropped. Throws sdk::Permanent saying what an id looks like otherwise.
  std::string normalise_key(std::string_view kind, std::string_view input) const;
  void handle(const Job& job, const Request& request, const Response& response,
              Emitter& out) override;

 private:
  Request get(const std::string& url) const;
  // `url` without the base_url prefix; sdk::Permanent when it points elsewhere, so a
  // next_page can never send the host to another server.
  std::string on_base(const std::string& url) const;
  void handle_sets(const Job& job, const Request& request, const ListPage& page,
                   const sdk::ParsedBody& body, Emitter& out) const;
  void handle_card(const Job& job, const Request& request, const Response& response,
                   const sdk::ParsedBody& body, Emitter& out) const;
  // The card record and one variant record per finish of a schema-valid card of `body`.
  void emit_card(const rapidjson::Value& card, const sdk::ParsedBody& body, Emitter& out) const;

  Config config_;
  sdk::ItemSchema set_schema_{embedded::scryfall_set_schema};
  sdk::ItemSchema card_schema_{embedded::scryfall_card_schema};
};

}  // namespace cardsync::scryfall
