#include "justtcg_cards.hpp"

#include <cardsync/quarantine.hpp>

#include <algorithm>
#include <string>

#include "justtcg_records.hpp"

namespace cardsync::justtcg {

EmittedCards emit_cards(const rapidjson::Value& data, const sdk::ParsedBody& body,
                        const ItemSchemas& schemas, std::string_view fallback_set,
                        const sdk::Emitter& out) {
  EmittedCards emitted;
  for (const auto& card : data.GetArray()) {
    if (auto bad = sdk::quarantine_if_invalid(schemas.card, card, body, out)) {
      if (!emitted.first_bad) emitted.first_bad = std::move(bad);
      continue;
    }
    const std::string card_id(text_member(card, "id"));
    out.record(CS_RECORD_CARD, card_id, text_member(card, "set", fallback_set), card_core(card),
               body.raw(card));
    if (emitted.cards++ == 0) emitted.first_card = card_id;
    const rapidjson::Value* variants = sdk::member(card, "variants");
    if (variants == nullptr) continue;
    for (rapidjson::SizeType i = 0; i < variants->Size(); ++i) {
      const rapidjson::Value& variant = (*variants)[i];
      const std::string at = "/variants/" + std::to_string(i);
      if (sdk::quarantine_if_invalid(schemas.variant, variant, body, out, at, &card)) continue;
      VariantNumbers numbers;
      if (auto bad = read_variant_numbers(variant, numbers)) {
        out.reject(bad->reason, at + bad->json_path, body.raw(card));
        continue;
      }
      out.record(CS_RECORD_VARIANT, text_member(variant, "id"), card_id,
                 variant_core(variant, numbers), body.raw(variant));
      if (numbers.last_updated) {
        emitted.newest =
            std::max(emitted.newest.value_or(*numbers.last_updated), *numbers.last_updated);
      }
    }
  }
  return emitted;
}

}  // namespace cardsync::justtcg
