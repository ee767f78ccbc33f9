// Prices arrive as decimal strings: integer cents, rounded half away from zero, anything
// else refused (the schema rejects the card first; this is the second line).
#include <gtest/gtest.h>

#include "scryfall_records.hpp"

namespace cardsync::scryfall {
namespace {

TEST(ScryfallPriceCents, DecimalStringsBecomeIntegerCents) {
  EXPECT_EQ(price_cents("24.99"), 2499);
  EXPECT_EQ(price_cents("0.10"), 10);
  EXPECT_EQ(price_cents("3.1"), 310);
  EXPECT_EQ(price_cents("7"), 700);
  EXPECT_EQ(price_cents("12.345"), 1235);
  EXPECT_EQ(price_cents("12.3449"), 1234);
  EXPECT_EQ(price_cents("0.005"), 1);
  EXPECT_EQ(price_cents("1234.50"), 123450);
}

TEST(ScryfallPriceCents, AnythingButDigitsIsNoPrice) {
  EXPECT_EQ(price_cents(""), std::nullopt);
  EXPECT_EQ(price_cents("-1.00"), std::nullopt);
  EXPECT_EQ(price_cents("1,50"), std::nullopt);
  EXPECT_EQ(price_cents("1."), std::nullopt);
  EXPECT_EQ(price_cents(".5"), std::nullopt);
  EXPECT_EQ(price_cents("1.2.3"), std::nullopt);
  EXPECT_EQ(price_cents("1234567890123.00"), std::nullopt);
}

}  // namespace
}  // namespace cardsync::scryfall
