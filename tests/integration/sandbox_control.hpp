#pragma once
// The sandbox's control endpoints (/_sandbox/...) as a test reads them: what a correct sync
// must end with, what the client asked for, and the runtime knobs (mutations, outages).
// Plain HTTP through libcurl, so it works against an in-process sandbox or the binary.

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::integration {

struct InvalidItem {
  std::string kind;  // "card" or "variant"
  std::string id;    // the card's id, or the defective variant's
  std::string card_id;
  std::string defect;  // missing_name | price_wrong_type | negative_price
  std::string path;    // JSON Pointer inside the card
};

// GET /_sandbox/truth?invalid=1
struct UpstreamTruth {
  std::uint64_t games = 0, sets = 0, cards = 0, variants = 0;
  std::string checksum;  // 16 lowercase hex digits
  std::uint64_t invalid_cards = 0, invalid_variants = 0;
  std::uint64_t invalid_card_items = 0, invalid_variant_items = 0;
  std::vector<InvalidItem> invalid_items;

  // Every card and variant of the catalog, valid or not.
  std::uint64_t all_cards() const { return cards + invalid_cards; }
  std::uint64_t all_variants() const { return variants + invalid_variants; }
};

// GET /_sandbox/stats
struct UpstreamStats {
  rapidjson::Document doc;

  std::uint64_t total() const;
  // Requests to `route` ("GET /v1/cards") answered `status` ("200", "503", "hang").
  std::uint64_t count(std::string_view route, std::string_view status) const;
  std::uint64_t route_total(std::string_view route) const;
  // faults.<name>: outage, server_error, throttle, truncated, repeat, invalid_item...
  std::uint64_t fault(std::string_view name) const;
  // served.<kind>: games, sets, cards, variants (items written into 200 bodies).
  std::uint64_t served(std::string_view kind) const;
};

class SandboxControl {
 public:
  // `root` is "http://127.0.0.1:<port>" (no /v1).
  explicit SandboxControl(std::string root);

  UpstreamTruth truth() const;
  UpstreamStats stats() const;
  void reset_stats() const;
  // Returns how many variants changed price.
  std::uint64_t mutate(double fraction) const;
  // An outage of `seconds` starting now: every API request is answered 503.
  void outage(double seconds) const;

  // Throws std::runtime_error unless the answer is a 200 with a JSON body.
  rapidjson::Document get(const std::string& path) const;
  rapidjson::Document post(const std::string& path) const;

 private:
  rapidjson::Document call(const std::string& path, bool post) const;

  std::string root_;
};

}  // namespace cardsync::integration
