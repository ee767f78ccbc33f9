// Field values: transforms (cents with decimal rounding, zero meaning unknown, epoch and
// dates in declared formats, integers from strings), first/then, tables, and null when
// absent.
#include "value_spec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

Scalar eval(const std::string& spec, const std::string& item_json, Problems* problems = nullptr) {
  Problems local;
  Problems& p = problems != nullptr ? *problems : local;
  TemplateRules rules;
  rules.table_names = {"language"};
  const auto spec_doc = test::parse_jsonc(spec);
  const ValueSpec v = ValueSpec::parse(spec_doc, rules, p, "/f");
  if (problems == nullptr) {
    EXPECT_TRUE(p.empty()) << p.summary();
  }
  const auto item = test::parse_jsonc(item_json);
  Tables tables{{"language", {{"en", "English"}}}};
  Scope s;
  s.item = &item;
  s.tables = &tables;
  return v.evaluate(s);
}

TEST(ValueSpec, CentsRoundTheDecimalTextHalfAwayFromZero) {
  const std::string cents = R"({"pointer": "/p", "transform": "cents"})";
  EXPECT_EQ(eval(cents, R"({"p": 0.145})"), Scalar(std::int64_t{15}));
  EXPECT_EQ(eval(cents, R"({"p": "0.145"})"), Scalar(std::int64_t{15}));
  EXPECT_EQ(eval(cents, R"({"p": 12.345})"), Scalar(std::int64_t{1235}));
  EXPECT_EQ(eval(cents, R"({"p": "18.00"})"), Scalar(std::int64_t{1800}));
  EXPECT_EQ(eval(cents, R"({"p": 3})"), Scalar(std::int64_t{300}));
  EXPECT_EQ(eval(cents, R"({"p": "0.00"})"), Scalar(std::int64_t{0}));
  EXPECT_TRUE(is_null(eval(cents, R"({"p": null})")));
  EXPECT_TRUE(is_null(eval(cents, R"({})")));
  EXPECT_TRUE(is_null(eval(cents, R"({"p": "n/a"})")));
}

TEST(ValueSpec, ZeroIsNullMakesAZeroPriceUnknown) {
  const std::string cents = R"({"pointer": "/p", "transform": "cents", "zero_is_null": true})";
  EXPECT_TRUE(is_null(eval(cents, R"({"p": "0.00"})")));
  EXPECT_EQ(eval(cents, R"({"p": "0.01"})"), Scalar(std::int64_t{1}));
}

TEST(ValueSpec, EpochDateAndIntTransforms) {
  EXPECT_EQ(eval(R"({"pointer": "/d", "transform": "epoch", "format": "%Y/%m/%d"})",
                 R"({"d": "2024/12/28"})"),
            Scalar(std::int64_t{1735344000}));
  EXPECT_EQ(eval(R"({"pointer": "/d", "transform": "date", "format": "%Y/%m/%d"})",
                 R"({"d": "2023/03/31"})"),
            Scalar(std::string("2023-03-31")));
  EXPECT_TRUE(is_null(eval(R"({"pointer": "/d", "transform": "epoch", "format": "%Y/%m/%d"})",
                           R"({"d": "31.03.2023"})")));
  EXPECT_EQ(eval(R"({"pointer": "/n", "transform": "int"})", R"({"n": "42"})"),
            Scalar(std::int64_t{42}));
  EXPECT_EQ(eval(R"({"pointer": "/n", "transform": "string"})", R"({"n": 5012})"),
            Scalar(std::string("5012")));
  EXPECT_EQ(eval(R"({"pointer": "/a", "transform": "length"})", R"({"a": [1, 2, 3]})"),
            Scalar(std::int64_t{3}));
}

TEST(ValueSpec, ConstantsTemplatesFirstThenAndTables) {
  EXPECT_EQ(eval(R"("Near Mint")", "{}"), Scalar(std::string("Near Mint")));
  EXPECT_TRUE(is_null(eval("null", "{}")));
  EXPECT_EQ(eval(R"("{item.a}-{item.b}")", R"({"a": "x", "b": 2})"), Scalar(std::string("x-2")));
  EXPECT_TRUE(is_null(eval(R"("{item.a}-{item.b}")", R"({"a": "x"})")));
  const std::string currency = R"({"first": [
      {"pointer": "/usd", "transform": "cents", "then": "USD"},
      {"pointer": "/eur", "transform": "cents", "then": "EUR"}]})";
  EXPECT_EQ(eval(currency, R"({"usd": null, "eur": "1.00"})"), Scalar(std::string("EUR")));
  EXPECT_EQ(eval(currency, R"({"usd": "2.00", "eur": "1.00"})"), Scalar(std::string("USD")));
  EXPECT_TRUE(is_null(eval(currency, R"({})")));
  EXPECT_EQ(eval(R"({"pointer": "/lang", "map": "language"})", R"({"lang": "en"})"),
            Scalar(std::string("English")));
  EXPECT_EQ(eval(R"({"pointer": "/lang", "map": "language"})", R"({"lang": "xx"})"),
            Scalar(std::string("xx")));
}

TEST(ValueSpec, UnknownTransformsKeysAndBadPointersAreProblems) {
  Problems p;
  eval(R"({"pointer": "/p", "transform": "cent"})", "{}", &p);
  eval(R"({"pointer": "/p", "transfrom": "cents"})", "{}", &p);
  eval(R"({"pointer": "p"})", "{}", &p);
  eval(R"({"pointer": "/p", "map": "langauge"})", "{}", &p);
  ASSERT_EQ(p.list().size(), 4U) << p.summary();
  EXPECT_EQ(p.list()[0].pointer, "/f/transform");
  EXPECT_EQ(p.list()[0].candidates.front(), "cents");
  EXPECT_EQ(p.list()[1].pointer, "/f/transfrom");
  EXPECT_EQ(p.list()[1].candidates.front(), "transform");
  EXPECT_EQ(p.list()[2].pointer, "/f/pointer");
  EXPECT_EQ(p.list()[3].candidates.front(), "language");
}

}  // namespace
}  // namespace cardsync::rest
