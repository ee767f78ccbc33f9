// Lookup keys as people type them become canonical keys, or say what a key looks like.
#include "lookup_key.hpp"

#include <cardsync/sdk.hpp>

#include <gtest/gtest.h>

#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

KeyRule rule(const std::string& spec) {
  Problems p;
  const auto doc = test::parse_jsonc(spec);
  KeyRule out = KeyRule::parse(&doc, p, "/lookups/0/normalise");
  EXPECT_TRUE(p.empty()) << p.summary();
  return out;
}

TEST(LookupKey, TrimsRemovesChangesCaseThenMatches) {
  const KeyRule r = rule(R"({"remove": " -", "case": "lower", "pattern": "^[0-9a-f]{8}$",
                             "message": "an id is 8 hex digits"})");
  EXPECT_EQ(r.normalise("  0A1B-2C3D "), "0a1b2c3d");
  try {
    r.normalise("zz");
    FAIL() << "accepted zz";
  } catch (const sdk::Permanent& e) {
    EXPECT_STREQ(e.what(), "an id is 8 hex digits; \"zz\" does not");
  }
}

TEST(LookupKey, WithoutARuleOnlyAnEmptyKeyIsRefused) {
  const KeyRule r = KeyRule::parse(nullptr, *std::make_unique<Problems>(), "");
  EXPECT_EQ(r.normalise(" sv1-1 "), "sv1-1");
  EXPECT_THROW(r.normalise("   "), sdk::Permanent);
}

TEST(LookupKey, ABadPatternIsAProblem) {
  Problems p;
  const auto doc = test::parse_jsonc(R"({"pattern": "[unclosed"})");
  KeyRule::parse(&doc, p, "/lookups/0/normalise");
  ASSERT_EQ(p.list().size(), 1U);
  EXPECT_EQ(p.list()[0].pointer, "/lookups/0/normalise/pattern");
}

}  // namespace
}  // namespace cardsync::rest
