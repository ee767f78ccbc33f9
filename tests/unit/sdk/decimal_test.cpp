// sdk::scale_decimal / scale_json_number / to_cents: prices become cents exactly as their
// decimal text reads, whichever form (string, number) the upstream sent them in.
#include <gtest/gtest.h>

#include <cardsync/decimal.hpp>

#include <rapidjson/document.h>

#include <optional>
#include <string_view>

namespace cardsync::sdk {
namespace {

std::optional<std::int64_t> cents(std::string_view text) {
  return scale_decimal(text, 2, Rounding::half_away_from_zero);
}

TEST(SdkDecimal, DecimalTextBecomesExactCents) {
  EXPECT_EQ(cents("12.34"), 1234);
  EXPECT_EQ(cents("12.345"), 1235);  // half away from zero, as round(x * 100)
  EXPECT_EQ(cents("12.3449"), 1234);
  EXPECT_EQ(cents("0.005"), 1);
  EXPECT_EQ(cents("-1.005"), -101);
  EXPECT_EQ(cents("7"), 700);
  EXPECT_EQ(cents("+7"), 700);
  EXPECT_EQ(cents(".5"), 50);
  EXPECT_EQ(cents("1."), 100);
  EXPECT_EQ(cents("1e2"), 10000);
  EXPECT_EQ(cents("1.5E-1"), 15);
  EXPECT_EQ(cents("0000.10"), 10);
  EXPECT_EQ(cents("0"), 0);
  EXPECT_EQ(cents("92233720368547758.07"), std::nullopt);  // past 18 digits
  for (const char* bad : {"", "abc", "1,5", "1.2.3", " 1", "1 ", "-", ".", "1e", "0x10", "N/A"}) {
    EXPECT_EQ(cents(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(scale_decimal("1735689500.9", 0, Rounding::toward_zero), 1735689500);
}

TEST(SdkDecimal, JsonNumbersRoundAsTheirDigitsRead) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseFullPrecisionFlag>(
      R"([420.10, 1.005, 150, 0.1, 25000.0, "3.99", true, null, 1735689300, 18446744073709551615])");
  auto at = [&](int i) {
    return scale_json_number(d[static_cast<rapidjson::SizeType>(i)], 2,
                             Rounding::half_away_from_zero);
  };
  EXPECT_EQ(at(0), 42010);
  EXPECT_EQ(at(1), 101);  // a plain llround(1.005 * 100) gives 100
  EXPECT_EQ(at(2), 15000);
  EXPECT_EQ(at(3), 10);
  EXPECT_EQ(at(4), 2500000);
  EXPECT_EQ(at(5), 399);
  EXPECT_EQ(at(6), std::nullopt);
  EXPECT_EQ(at(7), std::nullopt);
  EXPECT_EQ(scale_json_number(d[8], 0, Rounding::toward_zero), 1735689300);
  EXPECT_EQ(at(9), std::nullopt);  // does not fit once scaled
}

TEST(SdkDecimal, ToCentsReadsPriceStringsAndNumbersAlike) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseFullPrecisionFlag>(R"(["24.99", "0.10", "3.1", 1234.50, "7", null])");
  EXPECT_EQ(to_cents(d[0]), 2499);
  EXPECT_EQ(to_cents(d[1]), 10);
  EXPECT_EQ(to_cents(d[2]), 310);
  EXPECT_EQ(to_cents(d[3]), 123450);
  EXPECT_EQ(to_cents(d[4]), 700);
  EXPECT_EQ(to_cents(d[5]), std::nullopt);
}

}  // namespace
}  // namespace cardsync::sdk
