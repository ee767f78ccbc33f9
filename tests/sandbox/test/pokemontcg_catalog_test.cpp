// The Pokémon TCG catalog without the server: deterministic from the seed, every quirk
// present at the default size, ids that resolve back, mutations that move only market
// prices, and the truth's arithmetic.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sandbox/fnv1a.hpp"
#include "sandbox/pokemontcg_catalog.hpp"

namespace cardsync::sandbox {
namespace {

TEST(PokemonTcgCatalog, IsAPureFunctionOfTheSeed) {
  PokemonTcgCatalog a(5, {});
  PokemonTcgCatalog b(5, {});
  PokemonTcgCatalog other(6, {});
  EXPECT_EQ(a.sets()[2].name, b.sets()[2].name);
  EXPECT_EQ(a.card(40).name, b.card(40).name);
  EXPECT_EQ(compute_pokemon_truth(a).checksum, compute_pokemon_truth(b).checksum);
  EXPECT_NE(compute_pokemon_truth(a).checksum, compute_pokemon_truth(other).checksum);
}

TEST(PokemonTcgCatalog, TheDefaultSizeHasEveryQuirk) {
  for (std::uint64_t seed : {1, 2, 3}) {
    PokemonTcgCatalog c(seed, {});
    ASSERT_EQ(c.sets().size(), 4U);
    bool no_ptcgo = false;
    for (const auto& s : c.sets()) no_ptcgo = no_ptcgo || !s.ptcgo_code;
    EXPECT_TRUE(no_ptcgo) << seed;
    EXPECT_EQ(c.sets()[0].gallery, 3U);
    EXPECT_LT(c.sets()[0].printed_total, c.sets()[0].total);
    bool no_rarity = false, no_tcgplayer = false, no_cardmarket = false, null_market = false;
    bool gallery = false, accent = false, several_printings = false;
    std::set<std::string> printings;
    for (std::uint64_t i = 0; i < c.card_count(); ++i) {
      const PokemonTcgCard card = c.card(i);
      no_rarity = no_rarity || !card.rarity;
      no_tcgplayer = no_tcgplayer || !card.has_tcgplayer;
      no_cardmarket = no_cardmarket || !card.has_cardmarket;
      gallery = gallery || card.number.rfind("TG", 0) == 0;
      accent = accent || card.supertype == "Pokémon";
      several_printings = several_printings || card.tcgplayer.size() > 1;
      for (const auto& p : card.tcgplayer) {
        printings.emplace(kPokemonPrintingNames[p.printing]);
        // A null market price comes with other prices, so a client cannot use "has prices".
        null_market = null_market || (!p.market && p.low);
      }
    }
    EXPECT_TRUE(no_rarity && no_tcgplayer && no_cardmarket && null_market) << seed;
    EXPECT_TRUE(gallery && accent && several_printings) << seed;
    // The Base series (the third set) prices its cards in 1st-edition printings.
    EXPECT_EQ(c.sets()[2].series, "Base");
    EXPECT_TRUE(printings.count("1stEditionHolofoil") + printings.count("1stEditionNormal") > 0);
    EXPECT_GE(printings.size(), 5U) << seed;
  }
}

TEST(PokemonTcgCatalog, CardIdsResolveBack) {
  PokemonTcgCatalog c(1, {});
  for (std::uint64_t i = 0; i < c.card_count(); ++i) {
    const std::string id = c.card(i).id;
    ASSERT_EQ(c.find_card(id), i) << id;
  }
  EXPECT_EQ(c.card(27).id, "sv1-TG01");
  EXPECT_EQ(c.card(0).id, "sv1-1");
  EXPECT_EQ(c.card(30).id, "swsh1-1");
  for (const char* bad : {"sv1-0", "sv1-28", "sv1-TG04", "sv1-01", "nope-1", "sv1", "sv1-TG1"}) {
    EXPECT_FALSE(c.find_card(bad)) << bad;
  }
}

TEST(PokemonTcgCatalog, MutationsChangeMarketPricesOnlyAndStampTheDay) {
  PokemonTcgCatalog c(1, {});
  const PokemonTcgTruth before = compute_pokemon_truth(c);
  const std::int64_t now = 1750000000;  // 2025-06-15
  const std::uint64_t changed = c.mutate(0.5, now);
  EXPECT_GT(changed, before.variants / 4);
  EXPECT_LT(changed, before.variants);
  const PokemonTcgTruth after = compute_pokemon_truth(c);
  EXPECT_NE(after.checksum, before.checksum);
  EXPECT_EQ(after.variants, before.variants) << "no printing gains or loses a market price";
  EXPECT_EQ(after.printings_without_market, before.printings_without_market);
  EXPECT_GT(after.generation, before.generation);
  bool stamped = false;
  for (std::uint64_t i = 0; i < c.card_count(); ++i) stamped |= c.card(i).tcgplayer_updated == now;
  EXPECT_TRUE(stamped);
}

TEST(PokemonTcgCatalog, TruthFingerprintIsFnvOfThePipeJoinedFields) {
  EXPECT_EQ(pokemon_variant_fingerprint("sv1-1", kPtcgReverseHolofoil, 1234),
            fnv1a64("sv1-1/reverseHolofoil|sv1-1|reverseHolofoil|1234|USD"));
}

TEST(PokemonTcgCatalog, RefusesAnEmptyOrOversizedShape) {
  EXPECT_THROW(PokemonTcgCatalog(1, {0, 5}), std::invalid_argument);
  EXPECT_THROW(PokemonTcgCatalog(1, {5, 0}), std::invalid_argument);
  EXPECT_THROW(PokemonTcgCatalog(1, {1001, 5}), std::invalid_argument);
}

}  // namespace
}  // namespace cardsync::sandbox
