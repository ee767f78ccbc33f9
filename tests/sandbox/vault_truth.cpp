#include "sandbox/vault_truth.hpp"

#include "sandbox/calendar_text.hpp"
#include "sandbox/fnv1a.hpp"
#include "sandbox/truth.hpp"

namespace cardsync::sandbox {
namespace {

void str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string variant_key(std::string_view card_id, VaultFinish finish) {
  std::string key(card_id);
  key += "/";
  key += vault_finish_name(finish);
  return key;
}

// Calls `visit(card)` for every card a sync meets, under one snapshot of the amounts.
template <class Visit>
std::uint64_t each_card(const VaultCatalog& catalog, Visit&& visit) {
  const PriceBook::Snapshot snapshot = catalog.prices().snapshot();
  for (const auto& set : catalog.sets()) {
    const std::uint64_t first = catalog.first_card(set.index);
    for (std::uint64_t i = first; i < first + set.card_count; ++i) {
      visit(catalog.card(i, snapshot));
    }
  }
  return snapshot.generation;
}

// {"key", "parent_key", "core": {...}}: `core` writes the core fields.
template <class Core>
void record(JsonWriter& w, std::string_view key, std::string_view parent, Core&& core) {
  w.StartObject();
  w.Key("key");
  str(w, key);
  w.Key("parent_key");
  str(w, parent);
  w.Key("core");
  w.StartObject();
  core();
  w.EndObject();
  w.EndObject();
}

void write_records(JsonWriter& w, const VaultCatalog& catalog) {
  std::vector<VaultCard> cards;
  each_card(catalog, [&](VaultCard c) {
    if (c.defect == VaultDefect::kNone) cards.push_back(std::move(c));
  });
  w.StartObject();
  w.Key("game");
  w.StartArray();
  record(w, kVaultGameKey, "", [&] {
    w.Key("name");
    str(w, kVaultGameName);
    w.Key("cards_count");
    w.Null();
    w.Key("sets_count");
    w.Null();
    w.Key("last_updated");
    w.Null();
  });
  w.EndArray();
  w.Key("set");
  w.StartArray();
  for (const auto& s : catalog.sets()) {
    record(w, s.code, kVaultGameKey, [&] {
      w.Key("name");
      str(w, s.name);
      w.Key("release_date");
      if (s.released_at) {
        str(w, date_text(*s.released_at, '-'));
      } else {
        w.Null();
      }
      w.Key("cards_count");
      w.Uint(s.card_count);
    });
  }
  w.EndArray();
  w.Key("card");
  w.StartArray();
  for (const auto& c : cards) {
    record(w, c.id, catalog.sets()[c.set].code, [&] {
      w.Key("name");
      str(w, c.name);
      w.Key("game");
      str(w, kVaultGameName);
      w.Key("number");
      str(w, c.number);
      w.Key("rarity");
      if (c.rarity) {
        str(w, *c.rarity);
      } else {
        w.Null();
      }
      w.Key("tcgplayer_id");
      w.Null();
    });
  }
  w.EndArray();
  w.Key("variant");
  w.StartArray();
  for (const auto& c : cards) {
    for (const auto& offer : c.offers) {
      if (!offer.amount_mils) continue;
      record(w, variant_key(c.id, offer.finish), c.id, [&] {
        w.Key("condition");
        str(w, "Near Mint");
        w.Key("printing");
        str(w, vault_finish_name(offer.finish));
        w.Key("language");
        str(w, "English");
        w.Key("price_cents");
        w.Int64(vault_cents(*offer.amount_mils));
        w.Key("currency");
        str(w, "EUR");
        w.Key("last_updated");
        w.Int64(c.updated_at);
        w.Key("sku");
        w.Null();
      });
    }
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::uint64_t vault_variant_fingerprint(std::string_view card_id, VaultFinish finish,
                                        std::int64_t price_cents) {
  std::string line = variant_key(card_id, finish);
  line += "|";
  line += card_id;
  line += "|";
  line += vault_finish_name(finish);
  line += "|";
  line += std::to_string(price_cents);
  line += "|EUR";
  return fnv1a64(line);
}

VaultTruth compute_vault_truth(const VaultCatalog& catalog) {
  VaultTruth t;
  t.sets = catalog.sets().size();
  t.generation = each_card(catalog, [&](const VaultCard& c) {
    if (c.defect != VaultDefect::kNone) {
      t.invalid.push_back({c.id, c.defect});
      return;
    }
    ++t.cards;
    for (const auto& offer : c.offers) {
      if (!offer.amount_mils) {
        ++t.offers_without_amount;
        continue;
      }
      ++t.variants;
      t.checksum += vault_variant_fingerprint(c.id, offer.finish, vault_cents(*offer.amount_mils));
    }
  });
  return t;
}

void write_vault_truth(JsonWriter& w, const VaultCatalog& catalog, bool invalid_items,
                       bool records) {
  const VaultTruth t = compute_vault_truth(catalog);
  w.StartObject();
  w.Key("games");
  w.Uint(1);
  w.Key("sets");
  w.Uint64(t.sets);
  w.Key("cards");
  w.Uint64(t.cards);
  w.Key("variants");
  w.Uint64(t.variants);
  w.Key("offers_without_amount");
  w.Uint64(t.offers_without_amount);
  w.Key("invalid");
  w.StartObject();
  w.Key("cards");
  w.Uint64(t.invalid.size());
  w.EndObject();
  w.Key("checksum");
  str(w, checksum_hex(t.checksum));
  w.Key("generation");
  w.Uint64(t.generation);
  w.Key("checksum_definition");
  str(w,
      "hex(sum mod 2^64 over one variant per offer with an amount, of valid cards, of "
      "fnv1a64(\"<card id>/<finish>|<card id>|<finish>|<amount in cents, half up>|EUR\"))");
  if (invalid_items) {
    w.Key("invalid_items");
    w.StartArray();
    for (const auto& item : t.invalid) {
      w.StartObject();
      w.Key("kind");
      str(w, "card");
      w.Key("id");
      str(w, item.id);
      w.Key("defect");
      str(w, vault_defect_name(item.defect));
      w.Key("path");
      str(w, vault_defect_path(item.defect));
      w.EndObject();
    }
    w.EndArray();
  }
  if (records) {
    w.Key("records");
    write_records(w, catalog);
  }
  w.EndObject();
}

}  // namespace cardsync::sandbox
