#pragma once
// cardsync SDK: the gate every upstream item passes before it becomes a record. An item that
// fails its schema is quarantined by the host (Emitter::reject) with the rule it broke, where,
// and the item's bytes exactly as received, and the rest of the page goes on:
//
//   for (const auto& card : data.GetArray()) {
//     if (sdk::quarantine_if_invalid(card_schema, card, body, out)) continue;
//     out.record(...);
//   }
//
// Thread-safe as ItemSchema::validate is; the emitter belongs to the calling thread.

#include <cardsync/parsed_body.hpp>
#include <cardsync/provider.hpp>
#include <cardsync/validation.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cardsync::sdk {

// The rejection when `item` fails `schema`, after quarantining it; nullopt when it passes.
// `path_prefix` places the item's path inside a larger one ("/variants/2"), and `raw_of` (an
// enclosing item of `body`; default `item`) is what the quarantine keeps.
inline std::optional<Rejection> quarantine_if_invalid(const ItemSchema& schema,
                                                      const rapidjson::Value& item,
                                                      const ParsedBody& body, const Emitter& out,
                                                      std::string_view path_prefix = {},
                                                      const rapidjson::Value* raw_of = nullptr) {
  std::optional<Rejection> bad = schema.validate(item);
  if (bad) {
    bad->json_path = std::string(path_prefix) + bad->json_path;
    out.reject(bad->reason, bad->json_path, body.raw(raw_of != nullptr ? *raw_of : item));
  }
  return bad;
}

}  // namespace cardsync::sdk
