// The Vault catalog without the server: deterministic from the seed, every quirk present at
// the default size, amounts that round half up from their decimal text, RFC 3339 timestamps
// both ways, mutations that move amounts and stamp the card, invalid cards from the seed, and
// the truth's arithmetic.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sandbox/calendar_text.hpp"
#include "sandbox/fnv1a.hpp"
#include "sandbox/vault_catalog.hpp"
#include "sandbox/vault_json.hpp"
#include "sandbox/vault_truth.hpp"

namespace cardsync::sandbox {
namespace {

TEST(VaultCatalog, IsAPureFunctionOfTheSeed) {
  VaultCatalog a(5, 0.0, {});
  VaultCatalog b(5, 0.0, {});
  VaultCatalog other(6, 0.0, {});
  EXPECT_EQ(a.sets()[1].code, b.sets()[1].code);
  EXPECT_EQ(a.card(17).id, b.card(17).id);
  EXPECT_EQ(compute_vault_truth(a).checksum, compute_vault_truth(b).checksum);
  EXPECT_NE(compute_vault_truth(a).checksum, compute_vault_truth(other).checksum);
}

TEST(VaultCatalog, TheDefaultSizeHasEveryQuirk) {
  for (std::uint64_t seed : {1, 2, 3}) {
    VaultCatalog c(seed, 0.0, {});
    ASSERT_EQ(c.sets().size(), 4U);
    std::set<std::string> codes;
    for (const auto& s : c.sets()) {
      EXPECT_EQ(s.code.size(), 3U);
      for (char ch : s.code) EXPECT_TRUE(ch >= 'A' && ch <= 'Z') << s.code;
      codes.insert(s.code);
    }
    EXPECT_EQ(codes.size(), 4U) << "codes are unique";
    EXPECT_FALSE(c.sets()[3].released_at) << "the last set is announced";
    EXPECT_EQ(c.sets()[3].card_count, 0U);
    EXPECT_TRUE(c.sets()[0].released_at);
    EXPECT_EQ(c.sets()[0].card_count, 40U);

    std::set<std::string> ids;
    bool mils = false, half = false, null_amount = false, no_rarity = false, foil = false,
         no_foil = false;
    for (std::uint32_t s = 0; s < 3; ++s) {
      for (std::uint64_t i = c.first_card(s); i < c.first_card(s) + 40; ++i) {
        const VaultCard card = c.card(i);
        ids.insert(card.id);
        EXPECT_EQ(card.id.rfind("crd_", 0), 0U);
        EXPECT_EQ(card.number.size(), 3U);
        EXPECT_EQ(card.offers.front().finish, kVaultNormal);
        EXPECT_LT(card.updated_at, VaultCatalog::kEpoch);
        EXPECT_GE(card.updated_at, VaultCatalog::kEpoch - 30 * 86400);
        no_rarity |= !card.rarity;
        foil |= card.offers.size() == 2;
        no_foil |= card.offers.size() == 1;
        for (const auto& offer : card.offers) {
          null_amount |= !offer.amount_mils;
          if (!offer.amount_mils) continue;
          EXPECT_GT(*offer.amount_mils, 0);
          mils |= *offer.amount_mils % 10 != 0;
          half |= *offer.amount_mils % 10 == 5;
        }
      }
    }
    EXPECT_EQ(ids.size(), 120U) << "card ids are unique";
    EXPECT_TRUE(mils && half && null_amount && no_rarity && foil && no_foil) << seed;
  }
}

TEST(VaultCatalog, AmountsReadAsDecimalTextAndRoundHalfUp) {
  EXPECT_EQ(vault_amount_text(12350), "12.35");
  EXPECT_EQ(vault_amount_text(4995), "4.995");
  EXPECT_EQ(vault_amount_text(50), "0.05");
  EXPECT_EQ(vault_amount_text(100000), "100.00");
  EXPECT_EQ(vault_amount_text(7), "0.007");
  EXPECT_EQ(vault_cents(4995), 500);
  EXPECT_EQ(vault_cents(12345), 1235) << "12.345 x 100 as a double is 1234.4999...";
  EXPECT_EQ(vault_cents(12344), 1234);
  EXPECT_EQ(vault_cents(12350), 1235);
}

TEST(VaultCatalog, TimestampsAreRfc3339InUtc) {
  EXPECT_EQ(iso_timestamp_text(VaultCatalog::kEpoch), "2025-01-01T00:00:00Z");
  EXPECT_EQ(iso_timestamp_text(1686268800 + 16 * 3600 + 61), "2023-06-09T16:01:01Z");
  EXPECT_EQ(parse_iso_timestamp("2023-06-09T16:01:01Z"), 1686268800 + 16 * 3600 + 61);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29T00:00:00Z"), 1709164800);
  for (const char* bad : {"2023-06-09", "2023-06-09 16:01:01", "2023-06-09T16:01:01+00:00",
                          "2023-02-30T00:00:00Z", "2023-06-09T24:00:00Z", "1735689600", ""}) {
    EXPECT_FALSE(parse_iso_timestamp(bad)) << bad;
  }
}

TEST(VaultCatalog, MutationsMoveAmountsAndStampTheirCard) {
  VaultCatalog c(3, 0.0, {3, 20});
  const std::int64_t now = VaultCatalog::kEpoch + 86400 * 40;
  const auto before = compute_vault_truth(c);
  const std::uint64_t changed = c.mutate(0.3, now);
  EXPECT_GT(changed, 0U);
  const auto after = compute_vault_truth(c);
  EXPECT_NE(before.checksum, after.checksum);
  EXPECT_EQ(before.variants, after.variants) << "an amount never becomes null";
  EXPECT_GT(after.generation, before.generation);
  VaultCatalog fresh(3, 0.0, {3, 20});
  std::uint64_t stamped = 0;
  std::uint64_t moved = 0;
  for (std::uint64_t i = 0; i < 40; ++i) {
    const VaultCard was = fresh.card(i);
    const VaultCard is = c.card(i);
    bool differs = false;
    for (std::size_t o = 0; o < is.offers.size(); ++o) {
      if (is.offers[o].amount_mils != was.offers[o].amount_mils) {
        differs = true;
        ++moved;
        EXPECT_EQ(*is.offers[o].amount_mils % 10, 0) << "a changed amount is whole cents";
      }
    }
    EXPECT_EQ(is.updated_at == now, differs) << i;
    stamped += is.updated_at == now ? 1 : 0;
  }
  EXPECT_GT(stamped, 0U);
  EXPECT_LE(moved, changed);
  EXPECT_THROW(c.mutate(1.5, now), std::invalid_argument);
}

TEST(VaultCatalog, InvalidCardsComeFromTheSeedAndLeaveTheTruth) {
  VaultCatalog clean(4, 0.0, {3, 50});
  VaultCatalog broken(4, 0.2, {3, 50});
  const auto t_clean = compute_vault_truth(clean);
  const auto t = compute_vault_truth(broken);
  ASSERT_FALSE(t.invalid.empty());
  EXPECT_EQ(t.cards + t.invalid.size(), t_clean.cards);
  std::set<VaultDefect> kinds;
  for (const auto& item : t.invalid) kinds.insert(item.defect);
  EXPECT_EQ(kinds.size(), 2U) << "both defects at this rate";
  EXPECT_EQ(vault_defect_path(VaultDefect::kMissingName), "/name");
  EXPECT_EQ(vault_defect_path(VaultDefect::kAmountWrongType), "/offers/0/amount");
  EXPECT_EQ(compute_vault_truth(VaultCatalog(4, 0.2, {3, 50})).invalid.size(), t.invalid.size());
}

TEST(VaultCatalog, TheChecksumIsTheSumOfTheVariantFingerprints) {
  VaultCatalog c(8, 0.0, {2, 5});
  std::uint64_t sum = 0;
  std::uint64_t variants = 0;
  for (std::uint64_t i = 0; i < 10; ++i) {
    const VaultCard card = c.card(i);
    for (const auto& offer : card.offers) {
      if (!offer.amount_mils) continue;
      ++variants;
      const std::string finish(vault_finish_name(offer.finish));
      std::string line = card.id;
      line += "/";
      line += finish;
      line += "|";
      line += card.id;
      line += "|";
      line += finish;
      line += "|";
      line += std::to_string(vault_cents(*offer.amount_mils));
      line += "|EUR";
      sum += fnv1a64(line);
    }
  }
  const auto t = compute_vault_truth(c);
  EXPECT_EQ(t.variants, variants);
  EXPECT_EQ(t.checksum, sum);
}

}  // namespace
}  // namespace cardsync::sandbox
