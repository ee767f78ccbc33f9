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
//
// See README.md for the mapping, cursors and error handling.

#include <cardsync/sdk.hpp>
#include <cardsync/validation.hpp>

#include <string>
#include <string_view>

#include "scryfall_config.hpp"
#include "scryfall_response.hpp"
#include "scryfall_schemas.hpp"

namespace cardsync::scryfall {

class ScryfallProvider : public sdk::Provider {
 public:
  static constexpr const char* kName = "scryfall";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "Scryfall: Magic: The Gathering sets, printings and their daily prices";
  static inline const char* const kConfigSchema = kConfigSchemaJson;
  static constexpr const char* kService = "scryfall";
  static constexpr const char* kJobTypes[] = {"scryfall.sets", "scryfall.cards", nullptr};
  static inline const char* const kItemSchemas = item_schemas_json();

  static constexpr std::string_view kSetsJob = "scryfall.sets";
  static constexpr std::string_view kCardsJob = "scryfall.cards";

  explicit ScryfallProvider(const rapidjson::Value& config);

  // `spec`: empty or {} (every configured set), or {"sets": ["neo", ...]}.
  void plan(std::string_view spec, Emitter& out) override;
  void start(const Job& job, Emitter& out) override;
  void handle(const Job& job, const Request& request, const Response& response,
              Emitter& out) override;

 private:
  Request get(const std::string& url) const;
  // `url` without the base_url prefix; sdk::Permanent when it points elsewhere, so a
  // next_page can never send the host to another server.
  std::string on_base(const std::string& url) const;
  void handle_sets(const Job& job, const Request& request, const ListPage& page,
                   Emitter& out) const;
  void handle_cards(const ListPage& page, Emitter& out) const;

  Config config_;
  sdk::ItemSchema set_schema_{kSetSchemaJson};
  sdk::ItemSchema card_schema_{kCardSchemaJson};
};

}  // namespace cardsync::scryfall
