// The truth's checksum is defined in the README so the host side can recompute it; these
// tests pin the definition (FNV-1a vectors, the fingerprint string, the hex form).
#include <gtest/gtest.h>

#include "sandbox/catalog_vocabulary.hpp"
#include "sandbox/fnv1a.hpp"
#include "sandbox/truth.hpp"

namespace cardsync::sandbox {
namespace {

TEST(Truth, Fnv1aMatchesTheReferenceVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(Truth, FingerprintIsFnvOfThePipeJoinedFields) {
  EXPECT_EQ(variant_fingerprint("v_1", "c-1", "Near Mint", "Normal", 1234),
            fnv1a64("v_1|c-1|Near Mint|Normal|1234"));
  // The worked example in tests/sandbox/README.md.
  std::uint64_t nm =
      variant_fingerprint("pokemon-lost-reign-primal-lion-1_near-mint_foil",
                          "pokemon-lost-reign-primal-lion-1", "Near Mint", "Foil", 28896);
  std::uint64_t lp =
      variant_fingerprint("pokemon-lost-reign-primal-lion-1_lightly-played_foil",
                          "pokemon-lost-reign-primal-lion-1", "Lightly Played", "Foil", 24566);
  EXPECT_EQ(checksum_hex(nm), "9c2019091a075277");
  EXPECT_EQ(checksum_hex(lp), "3f3960fd05c38b95");
  EXPECT_EQ(checksum_hex(nm + lp), "db597a061fcade0c");
}

TEST(Truth, ChecksumHexIsSixteenLowercaseDigits) {
  EXPECT_EQ(checksum_hex(0), "0000000000000000");
  EXPECT_EQ(checksum_hex(0xABCDEF0123456789ULL), "abcdef0123456789");
}

TEST(Truth, CountsValidCardsAndTheirValidVariants) {
  CatalogShape s;
  s.seed = 3;
  s.games = 2;
  s.sets_per_game = 3;
  s.cards_per_set = 40;
  s.variants_per_card = 4;
  Truth clean = compute_truth(Catalog(s));
  EXPECT_EQ(clean.games, 2U);
  EXPECT_EQ(clean.sets, 6U);
  EXPECT_EQ(clean.cards, 240U);
  EXPECT_EQ(clean.variants, 960U);
  EXPECT_EQ(clean.invalid_cards, 0U);
  EXPECT_EQ(clean.invalid_variants, 0U);
  EXPECT_EQ(clean.invalid_variant_items, 0U);

  s.invalid_rate = 0.2;
  Catalog dirty(s);
  Truth t = compute_truth(dirty);
  // Missing names reject the card with its variants; price defects one variant alone.
  std::uint64_t missing_name = 0;
  std::uint64_t bad_price = 0;
  for (std::uint64_t i = 0; i < dirty.card_count(); ++i) {
    Defect d = dirty.card(i).defect;
    if (d == Defect::kMissingName) ++missing_name;
    if (d == Defect::kPriceWrongType || d == Defect::kNegativePrice) ++bad_price;
  }
  ASSERT_GT(missing_name, 5U);
  ASSERT_GT(bad_price, 10U);
  EXPECT_EQ(t.invalid_cards, missing_name);
  EXPECT_EQ(t.invalid_card_items, missing_name);
  EXPECT_EQ(t.invalid_variant_items, bad_price);
  EXPECT_EQ(t.cards, 240U - missing_name);
  EXPECT_EQ(t.variants, t.cards * 4 - bad_price);
  EXPECT_EQ(t.invalid_variants, missing_name * 4 + bad_price);
  EXPECT_EQ(t.variants + t.invalid_variants, 960U);

  // The sum, recomputed the way the README tells a database to.
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < dirty.card_count(); ++i) {
    CardItem card = dirty.card(i);
    if (card.defect == Defect::kMissingName) continue;
    for (std::uint32_t v = 0; v < 4; ++v) {
      if (card.defect != Defect::kNone && v == 0) continue;  // the price defect's variant
      VariantItem variant = dirty.variant(card, v);
      std::string line = variant.id + "|" + card.id + "|" +
                         std::string(card_conditions()[variant.condition].name) + "|" +
                         std::string(card_printings()[variant.printing].name) + "|" +
                         std::to_string(variant.price_cents);
      sum += fnv1a64(line);
    }
  }
  EXPECT_EQ(t.checksum, sum);
  EXPECT_NE(t.checksum, clean.checksum);
}

TEST(Truth, ExcludesADefectiveVariantAfterItsPriceMoves) {
  CatalogShape s;
  s.seed = 5;
  s.cards_per_set = 20;
  s.invalid_rate = 0.3;
  Catalog c(s);
  Truth before = compute_truth(c);
  ASSERT_GT(before.invalid_variant_items, 0U);
  ASSERT_GT(c.mutate(1.0, Catalog::kEpoch + 100), 0U);
  Truth after = compute_truth(c);
  EXPECT_EQ(after.variants, before.variants);
  EXPECT_EQ(after.invalid_variants, before.invalid_variants);
  EXPECT_EQ(after.invalid_variant_items, before.invalid_variant_items);
  // The sum over the valid variants at their new prices; the defective ones stay out.
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < c.card_count(); ++i) {
    CardItem card = c.card(i);
    if (card_invalid(card)) continue;
    for (std::uint32_t v = 0; v < s.variants_per_card; ++v) {
      if (variant_defect(card, v) != Defect::kNone) continue;
      VariantItem variant = c.variant(card, v);
      EXPECT_EQ(variant.last_updated, Catalog::kEpoch + 100);
      sum += variant_fingerprint(variant.id, card.id, card_conditions()[variant.condition].name,
                                 card_printings()[variant.printing].name, variant.price_cents);
    }
  }
  EXPECT_EQ(after.checksum, sum);
}

TEST(Truth, FollowsMutationsAndCachesBetweenThem) {
  CatalogShape s;
  s.seed = 8;
  s.cards_per_set = 30;
  Catalog c(s);
  TruthCache cache;
  Truth before = cache.get(c);
  EXPECT_EQ(cache.get(c).checksum, before.checksum);
  ASSERT_GT(c.mutate(0.2, Catalog::kEpoch + 100), 0U);
  Truth after = cache.get(c);
  EXPECT_NE(after.checksum, before.checksum);
  EXPECT_EQ(after.variants, before.variants);
  EXPECT_NE(after.generation, before.generation);
  EXPECT_EQ(after.checksum, compute_truth(c).checksum);
}

}  // namespace
}  // namespace cardsync::sandbox
