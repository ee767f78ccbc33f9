#include "justtcg_cards.hpp"

#include <algorithm>
#include <string>

#include "justtcg_records.hpp"

namespace cardsync::justtcg {

EmittedCards emit_cards(const rapidjson::Value& data, const ParsedBody& body,
                        const ItemSchemas& schemas, std::string_view fallback_set,
                        const sdk::Emitter& out) {
  EmittedCards emitted;
  for (const auto& card : data.GetArray()) {
    if (auto bad = schemas.card.validate(card)) {
      out.reject(bad->reason, bad->json_path, body.raw(card));
      if (!emitted.first_bad) emitted.first_bad = std::move(bad);
      continue;
    }
    const std::string card_id(text_field(card, "id"));
    out.record(CS_RECORD_CARD, card_id, text_field(card, "set", fallback_set), card_core(card),
               body.raw(card));
    if (emitted.cards++ == 0) emitted.first_card = card_id;
    const rapidjson::Value* variants = field(card, "variants");
    if (variants == nullptr) continue;
    for (rapidjson::SizeType i = 0; i < variants->Size(); ++i) {
      const rapidjson::Value& variant = (*variants)[i];
      VariantNumbers numbers;
      auto bad = schemas.variant.validate(variant);
      if (!bad) bad = read_variant_numbers(variant, numbers);
      if (bad) {
        out.reject(bad->reason, "/variants/" + std::to_string(i) + bad->json_path, body.raw(card));
        continue;
      }
      out.record(CS_RECORD_VARIANT, text_field(variant, "id"), card_id,
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
