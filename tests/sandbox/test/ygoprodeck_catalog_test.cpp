// The YGOPRODeck catalog without the server: deterministic from the seed, every quirk present
// at the default size, passcodes unique and resolving back, set listings with reprints,
// mutations that leave unknown prices unknown, and the truth's arithmetic.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "sandbox/fnv1a.hpp"
#include "sandbox/ygoprodeck_catalog.hpp"

namespace cardsync::sandbox {
namespace {

TEST(YgoProDeckCatalog, IsAPureFunctionOfTheSeed) {
  YgoProDeckCatalog a(5, {});
  YgoProDeckCatalog b(5, {});
  YgoProDeckCatalog other(6, {});
  EXPECT_EQ(a.sets()[1].name, b.sets()[1].name);
  EXPECT_EQ(a.card(17).id, b.card(17).id);
  EXPECT_EQ(compute_ygoprodeck_truth(a).checksum, compute_ygoprodeck_truth(b).checksum);
  EXPECT_NE(compute_ygoprodeck_truth(a).checksum, compute_ygoprodeck_truth(other).checksum);
}

TEST(YgoProDeckCatalog, TheDefaultSizeHasEveryQuirk) {
  for (std::uint64_t seed : {1, 2, 3}) {
    YgoProDeckCatalog c(seed, {});
    ASSERT_EQ(c.sets().size(), 4U);
    EXPECT_FALSE(c.sets()[2].tcg_date) << "the third set has no tcg_date";
    EXPECT_NE(c.sets()[1].name.find('&'), std::string::npos);
    EXPECT_GT(c.unprinted_cards(), 0U);
    bool two_rarities = false, unknown_tcgplayer = false, no_archetype = false;
    bool reprint = false, spell = false;
    for (std::uint64_t i = 0; i < c.card_count(); ++i) {
      const YgoProDeckCard card = c.card(i);
      EXPECT_EQ(card.printings.empty(), i >= c.printed_cards()) << "only unprinted lack sets";
      std::map<std::string, int> codes;
      std::set<std::uint32_t> sets;
      for (const auto& p : card.printings) {
        ++codes[p.set_code];
        sets.insert(p.set);
      }
      for (const auto& [code, n] : codes) two_rarities |= n > 1;
      reprint |= sets.size() > 1;
      unknown_tcgplayer |= card.prices[kYgoTcgplayer] == 0;
      no_archetype |= !card.archetype;
      if (card.frame_type == "link") {
        EXPECT_TRUE(card.linkval && !card.def && !card.level) << "a Link Monster has no DEF";
      }
      spell |= card.type == "Spell Card" && !card.atk;
    }
    EXPECT_TRUE(two_rarities && unknown_tcgplayer && no_archetype && reprint) << seed;
    EXPECT_TRUE(spell) << seed;
  }
}

TEST(YgoProDeckCatalog, PasscodesAreUniqueAndResolveBack) {
  YgoProDeckCatalog c(9, {10, 40});
  std::set<std::uint32_t> ids;
  for (std::uint64_t i = 0; i < c.card_count(); ++i) {
    const std::uint32_t id = c.card(i).id;
    EXPECT_GE(id, 10000000U);
    EXPECT_LT(id, 100000000U);
    EXPECT_TRUE(ids.insert(id).second) << id;
    ASSERT_EQ(c.find_card(id), i);
  }
  EXPECT_FALSE(c.find_card(9999999));
  std::uint32_t unused = 10000000;
  while (ids.count(unused) != 0) ++unused;
  EXPECT_FALSE(c.find_card(unused));
}

TEST(YgoProDeckCatalog, SetListingsCarryTheirOwnCardsThenTheReprints) {
  YgoProDeckCatalog c(1, {});
  const auto& sets = c.sets();
  EXPECT_EQ(c.set_cards(0).size(), sets[0].num_of_cards);
  for (std::uint32_t s = 1; s < sets.size(); ++s) {
    const auto listed = c.set_cards(s);
    ASSERT_EQ(listed.size(), sets[s].num_of_cards);
    ASSERT_GT(listed.size(), c.shape().cards_per_set) << "the previous set's third card at least";
    for (std::size_t i = 0; i < listed.size(); ++i) {
      const YgoProDeckCard card = c.card(listed[i]);
      bool here = false;
      for (const auto& p : card.printings) here |= p.set == s;
      EXPECT_TRUE(here) << "every listed card has a printing in the set";
      if (i >= c.shape().cards_per_set) {
        EXPECT_EQ(card.printings.back().set_code, sets[s].code + "-EN0" + std::to_string(i + 1));
      }
    }
  }
  EXPECT_EQ(c.find_set(sets[1].name), 1U);
  std::string shouting = sets[1].name;
  for (char& ch : shouting) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(c.find_set(shouting), 1U) << "cardset matches without case";
  EXPECT_FALSE(c.find_set("Nope"));
}

TEST(YgoProDeckCatalog, MutationsLeaveUnknownPricesUnknown) {
  YgoProDeckCatalog c(1, {});
  const YgoProDeckTruth before = compute_ygoprodeck_truth(c);
  const std::uint64_t changed = c.mutate(1.0, 1750000000);
  EXPECT_GT(changed, 0U);
  const YgoProDeckTruth after = compute_ygoprodeck_truth(c);
  EXPECT_NE(after.checksum, before.checksum);
  EXPECT_EQ(after.priced, before.priced);
  EXPECT_EQ(after.variants, before.variants);
  EXPECT_EQ(changed, [&] {
    std::uint64_t priced_cards = 0;
    for (std::uint64_t i = 0; i < c.card_count(); ++i) {
      priced_cards += c.card(i).prices[kYgoTcgplayer] != 0 ? 1 : 0;
    }
    return priced_cards;
  }());
}

TEST(YgoProDeckCatalog, TruthFingerprintIsFnvOfThePipeJoinedFields) {
  const YgoProDeckPrinting p{0, "YAA-EN001", "Ultra Rare", "(UR)", 123};
  EXPECT_EQ(ygoprodeck_variant_key(89631139, p), "89631139/YAA-EN001/Ultra Rare");
  EXPECT_EQ(ygoprodeck_variant_fingerprint(89631139, p, 1234),
            fnv1a64("89631139/YAA-EN001/Ultra Rare|89631139|1234|USD"));
  EXPECT_EQ(ygoprodeck_variant_fingerprint(89631139, p, 0),
            fnv1a64("89631139/YAA-EN001/Ultra Rare|89631139||USD"));
}

TEST(YgoProDeckCatalog, RefusesAnEmptyOrOversizedShape) {
  EXPECT_THROW(YgoProDeckCatalog(1, {0, 5}), std::invalid_argument);
  EXPECT_THROW(YgoProDeckCatalog(1, {5, 0}), std::invalid_argument);
  EXPECT_THROW(YgoProDeckCatalog(1, {677, 5}), std::invalid_argument);
}

}  // namespace
}  // namespace cardsync::sandbox
