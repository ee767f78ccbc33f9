// The generated catalog: deterministic from the seed, ids that resolve back, the quirks at
// their rates, lazy enough for a million variants, and mutations that are reproducible.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <fstream>
#include <set>
#include <string>

#include "sandbox/catalog.hpp"
#include "sandbox/catalog_vocabulary.hpp"

namespace cardsync::sandbox {
namespace {

CatalogShape shape(std::uint64_t seed, std::uint32_t games = 3, std::uint32_t sets = 4,
                   std::uint32_t cards = 25, std::uint32_t variants = 7) {
  CatalogShape s;
  s.seed = seed;
  s.games = games;
  s.sets_per_game = sets;
  s.cards_per_set = cards;
  s.variants_per_card = variants;
  return s;
}

TEST(Catalog, SameSeedGivesTheSameItems) {
  Catalog a(shape(42));
  Catalog b(shape(42));
  ASSERT_EQ(a.card_count(), b.card_count());
  for (std::uint32_t s = 0; s < a.set_count(); ++s) {
    EXPECT_EQ(a.set(s).id, b.set(s).id);
    EXPECT_EQ(a.set(s).release_date, b.set(s).release_date);
  }
  for (std::uint64_t i = 0; i < a.card_count(); ++i) {
    CardItem x = a.card(i);
    CardItem y = b.card(i);
    ASSERT_EQ(x.id, y.id);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.number, y.number);
    EXPECT_EQ(x.rarity, y.rarity);
    EXPECT_EQ(x.tcgplayer_id, y.tcgplayer_id);
    for (std::uint32_t v = 0; v < a.shape().variants_per_card; ++v) {
      VariantItem p = a.variant(x, v);
      VariantItem q = b.variant(y, v);
      EXPECT_EQ(p.id, q.id);
      EXPECT_EQ(p.price_cents, q.price_cents);
      EXPECT_EQ(p.last_updated, q.last_updated);
    }
  }
}

TEST(Catalog, AnotherSeedGivesAnotherCatalog) {
  Catalog a(shape(1));
  Catalog b(shape(2));
  int same_price = 0;
  int same_name = 0;
  for (std::uint64_t i = 0; i < a.card_count(); ++i) {
    same_name += a.card(i).name == b.card(i).name ? 1 : 0;
    same_price +=
        a.variant(a.card(i), 0).price_cents == b.variant(b.card(i), 0).price_cents ? 1 : 0;
  }
  EXPECT_LT(same_name, static_cast<int>(a.card_count() / 4));
  EXPECT_LT(same_price, static_cast<int>(a.card_count() / 10));
}

TEST(Catalog, GamesUseRealSlugsAndDisplayNames) {
  Catalog c(shape(1, 13));
  EXPECT_EQ(c.game(0).slug, "pokemon");
  EXPECT_EQ(c.game(0).name, "Pokemon");
  EXPECT_EQ(c.game(1).slug, "magic-the-gathering");
  EXPECT_EQ(c.game(2).name, "YuGiOh");
  EXPECT_EQ(c.game(12).slug, "sandbox-game-13");
  EXPECT_EQ(c.find_game("mtg"), 1U);
  EXPECT_EQ(c.find_game("Pokemon"), 0U);
  EXPECT_EQ(c.find_game("POKEMON"), 0U);
  EXPECT_FALSE(c.find_game("nope"));
  bool as_string = false;
  bool as_number = false;
  for (std::uint32_t g = 0; g < c.game_count(); ++g) {
    (c.game(g).last_updated_as_string ? as_string : as_number) = true;
  }
  EXPECT_TRUE(as_string && as_number);
  // Scryfall and MTGJSON ids exist on Magic cards only.
  EXPECT_TRUE(c.card(c.cards_per_game()).scryfall_id.has_value());
  EXPECT_TRUE(c.card(c.cards_per_game()).mtgjson_id.has_value());
  EXPECT_FALSE(c.card(0).scryfall_id.has_value());
}

TEST(Catalog, EveryIdResolvesBackAndIsUnique) {
  Catalog c(shape(9, 3, 4, 25, 30));
  std::set<std::string> ids;
  for (std::uint64_t i = 0; i < c.card_count(); ++i) {
    CardItem card = c.card(i);
    ASSERT_TRUE(ids.insert(card.id).second) << card.id;
    EXPECT_EQ(c.find_card(card.id), i) << card.id;
    EXPECT_EQ(c.find_set(c.set(card.set).id), card.set);
    if (card.tcgplayer_id) {
      EXPECT_EQ(c.find_card_by_tcgplayer_id(*card.tcgplayer_id), i);
    }
    if (card.scryfall_id) {
      EXPECT_EQ(c.find_card_by_scryfall_id(*card.scryfall_id), i);
    }
    if (card.mtgjson_id) {
      EXPECT_EQ(c.find_card_by_mtgjson_id(*card.mtgjson_id), i);
    }
    for (std::uint32_t v = 0; v < c.shape().variants_per_card; ++v) {
      VariantItem variant = c.variant(card, v);
      ASSERT_TRUE(ids.insert(variant.id).second) << variant.id;
      auto ref = c.find_variant(variant.id);
      ASSERT_TRUE(ref) << variant.id;
      EXPECT_EQ(ref->card, i);
      EXPECT_EQ(ref->ordinal, v);
      auto by_sku = c.find_variant_by_sku(variant.sku);
      ASSERT_TRUE(by_sku);
      EXPECT_EQ(by_sku->card, i);
      EXPECT_EQ(by_sku->ordinal, v);
    }
  }
  EXPECT_FALSE(c.find_card("pokemon-nothing-here-1"));
  EXPECT_FALSE(c.find_card(c.card(0).id + "x"));
  EXPECT_FALSE(c.find_variant(c.card(0).id + "_mint"));
  EXPECT_FALSE(c.find_card_by_tcgplayer_id("12"));
  EXPECT_FALSE(c.find_variant_by_sku("abc"));
}

TEST(Catalog, VariantIdsAreCardIdPlusConditionAndSometimesPrinting) {
  Catalog c(shape(3, 2, 4, 25, 5));
  int with_printing = 0;
  int without = 0;
  for (std::uint64_t i = 0; i < c.card_count(); ++i) {
    CardItem card = c.card(i);
    for (std::uint32_t v = 0; v < 5; ++v) {
      VariantItem variant = c.variant(card, v);
      std::string prefix = card.id + "_" + std::string(card_conditions()[variant.condition].slug);
      ASSERT_EQ(variant.id.substr(0, prefix.size()), prefix);
      (variant.id.size() > prefix.size() ? with_printing : without)++;
    }
  }
  EXPECT_GT(with_printing, 0);
  EXPECT_GT(without, 0);
}

TEST(Catalog, QuirksAndDefectsAppearAtTheirRates) {
  CatalogShape s = shape(5, 2, 10, 500, 1);
  s.invalid_rate = 0.1;
  Catalog c(s);
  int na = 0, null_number = 0, null_rarity = 0, null_tcgplayer = 0, details_null = 0;
  int defects[4] = {0, 0, 0, 0};
  for (std::uint64_t i = 0; i < c.card_count(); ++i) {
    CardItem card = c.card(i);
    if (card.number == "N/A") ++na;
    if (!card.number) ++null_number;
    if (!card.rarity) ++null_rarity;
    if (!card.tcgplayer_id) ++null_tcgplayer;
    if (card.details_null) ++details_null;
    ++defects[static_cast<int>(card.defect)];
  }
  const double n = static_cast<double>(c.card_count());  // 10000
  EXPECT_NEAR(na / n, 0.04, 0.01);
  EXPECT_NEAR(null_number / n, 0.03, 0.01);
  EXPECT_NEAR(null_rarity / n, 0.05, 0.01);
  EXPECT_NEAR(null_tcgplayer / n, 0.05, 0.01);
  EXPECT_NEAR(details_null / n, 0.5, 0.03);
  EXPECT_NEAR((n - defects[0]) / n, 0.1, 0.015);
  for (int kind = 1; kind <= 3; ++kind) EXPECT_GT(defects[kind], 200) << kind;
}

TEST(Catalog, PriceDefectsSitOnOneVariantAndNameDefectsOnTheCard) {
  CatalogShape s = shape(6, 2, 5, 100, 6);
  s.invalid_rate = 0.2;
  Catalog c(s);
  int price_defects = 0;
  int name_defects = 0;
  for (std::uint64_t i = 0; i < c.card_count(); ++i) {
    CardItem card = c.card(i);
    const bool price =
        card.defect == Defect::kPriceWrongType || card.defect == Defect::kNegativePrice;
    EXPECT_EQ(card_invalid(card), card.defect == Defect::kMissingName) << card.id;
    for (std::uint32_t v = 0; v < 6; ++v) {
      Defect expected = (price && v == kDefectiveVariant) ? card.defect : Defect::kNone;
      EXPECT_EQ(variant_defect(card, v), expected) << card.id << " " << v;
    }
    price_defects += price ? 1 : 0;
    name_defects += card.defect == Defect::kMissingName ? 1 : 0;
  }
  EXPECT_GT(price_defects, 0);
  EXPECT_GT(name_defects, 0);
}

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

TEST(Catalog, AMillionVariantsCostNoMemoryUntilMutated) {
  long before = resident_kib();
  Catalog c(shape(11, 10, 100, 200, 5));
  ASSERT_EQ(c.variant_count(), 1'000'000U);
  CardItem last = c.card(c.card_count() - 1);
  EXPECT_EQ(c.find_card(last.id), c.card_count() - 1);
  EXPECT_GT(c.variant(last, 4).price_cents, 0);
  long after = resident_kib();
  EXPECT_LT(after - before, 8 * 1024) << "KiB grown building the catalog";
  EXPECT_EQ(c.prices().size(), 0U);
}

TEST(Catalog, MutateChangesAFractionOfPricesAndStampsThem) {
  Catalog c(shape(21, 2, 5, 40, 5));  // 2000 variants
  std::vector<VariantItem> before;
  for (std::uint64_t i = 0; i < c.card_count(); ++i) {
    for (std::uint32_t v = 0; v < 5; ++v) before.push_back(c.variant(c.card(i), v));
  }
  const std::int64_t now = Catalog::kEpoch + 86400 * 400;
  std::uint64_t changed = c.mutate(0.1, now);
  EXPECT_NEAR(static_cast<double>(changed) / 2000.0, 0.1, 0.03);
  std::uint64_t seen = 0;
  for (const auto& old : before) {
    VariantItem cur = c.variant(c.card(old.index / 5), old.ordinal);
    if (cur.last_updated == now) {
      ++seen;
      EXPECT_NE(cur.price_cents, old.price_cents);
      EXPECT_GT(cur.price_cents, 0);
    } else {
      EXPECT_EQ(cur.price_cents, old.price_cents);
      EXPECT_EQ(cur.last_updated, old.last_updated);
      EXPECT_LE(cur.last_updated, Catalog::kEpoch);
    }
  }
  EXPECT_EQ(seen, changed);
  EXPECT_EQ(c.mutation_rounds(), 1U);
  EXPECT_EQ(c.game_last_updated(0), now);

  // The same seed and the same calls pick the same variants and prices.
  Catalog twin(shape(21, 2, 5, 40, 5));
  EXPECT_EQ(twin.mutate(0.1, now), changed);
  for (std::uint64_t i = 0; i < c.card_count(); ++i) {
    for (std::uint32_t v = 0; v < 5; ++v) {
      EXPECT_EQ(twin.variant(twin.card(i), v).price_cents, c.variant(c.card(i), v).price_cents);
    }
  }
  EXPECT_THROW(c.mutate(1.5, now), std::invalid_argument);
}

TEST(Catalog, RejectsImpossibleShapes) {
  EXPECT_THROW(Catalog(shape(1, 0)), std::invalid_argument);
  EXPECT_THROW(Catalog(shape(1, 1, 1, 1, 65)), std::invalid_argument);
  CatalogShape s = shape(1);
  s.invalid_rate = 2;
  EXPECT_THROW(Catalog{s}, std::invalid_argument);
}

}  // namespace
}  // namespace cardsync::sandbox
