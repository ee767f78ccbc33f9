#include "sandbox/vault_json.hpp"

#include <array>
#include <cstdio>

#include "sandbox/calendar_text.hpp"

namespace cardsync::sandbox {
namespace {

void str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

std::string vault_amount_text(std::int64_t mils) {
  std::array<char, 32> buf{};
  if (mils % 10 == 0) {
    std::snprintf(buf.data(), buf.size(), "%lld.%02lld", static_cast<long long>(mils / 1000),
                  static_cast<long long>(mils / 10 % 100));
  } else {
    std::snprintf(buf.data(), buf.size(), "%lld.%03lld", static_cast<long long>(mils / 1000),
                  static_cast<long long>(mils % 1000));
  }
  return buf.data();
}

void write_vault_set(JsonWriter& w, const VaultSet& set) {
  w.StartObject();
  w.Key("code");
  str(w, set.code);
  w.Key("name");
  str(w, set.name);
  w.Key("released_at");
  if (set.released_at) {
    str(w, iso_timestamp_text(*set.released_at));
  } else {
    w.Null();
  }
  w.Key("card_count");
  w.Uint(set.card_count);
  w.EndObject();
}

void write_vault_card(JsonWriter& w, const VaultCard& card, const VaultSet& set) {
  w.StartObject();
  w.Key("id");
  str(w, card.id);
  if (card.defect != VaultDefect::kMissingName) {
    w.Key("name");
    str(w, card.name);
  }
  w.Key("set");
  str(w, set.code);
  w.Key("number");
  str(w, card.number);
  w.Key("rarity");
  if (card.rarity) {
    str(w, *card.rarity);
  } else {
    w.Null();
  }
  w.Key("image_url");
  str(w, "https://img.vault.example/cards/" + card.id + ".jpg");
  w.Key("updated_at");
  str(w, iso_timestamp_text(card.updated_at));
  w.Key("offers");
  w.StartArray();
  for (std::size_t i = 0; i < card.offers.size(); ++i) {
    const VaultOffer& offer = card.offers[i];
    w.StartObject();
    w.Key("finish");
    str(w, vault_finish_name(offer.finish));
    w.Key("currency");
    str(w, "EUR");
    w.Key("amount");
    if (i == 0 && card.defect == VaultDefect::kAmountWrongType) {
      // The defect: a JSON number where the API promises a string (or null).
      w.Double(static_cast<double>(offer.amount_mils.value_or(100)) / 1000.0);
    } else if (offer.amount_mils) {
      str(w, vault_amount_text(*offer.amount_mils));
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace cardsync::sandbox
