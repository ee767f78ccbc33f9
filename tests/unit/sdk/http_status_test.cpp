// sdk::StatusTable and sdk::ErrorFields: an upstream's answer becomes RETRY, PERMANENT or FATAL
// by rules that are plain data, with the upstream's own words and never its secret.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cardsync/error_body.hpp>
#include <cardsync/http_status.hpp>

#include <rapidjson/document.h>

#include <string>

namespace cardsync::sdk {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(SdkStatusTable, WithoutRulesTheStandardOutcomesApply) {
  const StatusTable t("Up");
  EXPECT_EQ(t.match(200, "").outcome, Outcome::ok);
  EXPECT_EQ(t.match(204, "").outcome, Outcome::ok);
  for (int s : {408, 429, 500, 502, 503, 504}) EXPECT_EQ(t.match(s, "").outcome, Outcome::retry);
  for (int s : {401, 403}) EXPECT_EQ(t.match(s, "").outcome, Outcome::fatal);
  for (int s : {400, 404, 410, 501, 302}) {
    EXPECT_EQ(t.match(s, "").outcome, Outcome::permanent) << s;
  }
}

TEST(SdkStatusTable, TheFirstMatchingRuleWinsByStatusRangeAndCode) {
  const StatusTable t("Up", {{0, 0, "QUOTA", Outcome::retry, "quota"},
                             {500, 500, "", Outcome::fatal, "bad token"},
                             {400, 499, "", Outcome::permanent, "client"}});
  EXPECT_EQ(t.match(403, "QUOTA").message, "quota");  // a code rule matches any status
  EXPECT_EQ(t.match(200, "QUOTA").outcome, Outcome::retry);
  EXPECT_EQ(t.match(500, "").outcome, Outcome::fatal);
  EXPECT_EQ(t.match(401, "").outcome, Outcome::permanent);
  EXPECT_EQ(t.match(503, "").outcome, Outcome::retry);  // no rule: standard
}

TEST(SdkStatusTable, CheckThrowsTheOutcomeWithTheTemplateFilledIn) {
  const StatusTable t("Up", {{429, 429, "", Outcome::retry, "{upstream} throttled {code}"}});
  const UpstreamError e{"NOT_FOUND", "Game not found", true};
  try {
    t.check(404, e, "GET /games/x");
    FAIL();
  } catch (const Permanent& p) {
    EXPECT_STREQ(p.what(), "Up rejected GET /games/x (HTTP 404 NOT_FOUND: Game not found)");
  }
  try {
    t.check(429, {}, "GET /games");
    FAIL();
  } catch (const Retry& r) {
    EXPECT_STREQ(r.what(), "Up throttled HTTP 429");  // no code: the status stands in
  }
  EXPECT_THROW(t.check(500, {}, "GET /"), Retry);
  EXPECT_THROW(t.check(401, {}, "GET /"), Fatal);
  EXPECT_NO_THROW(t.check(200, {}, "GET /"));
}

rapidjson::Document doc(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  return d;
}

TEST(SdkErrorFields, ReadsTheFirstPointerThatHoldsText) {
  const ErrorFields f({"/error/code", "/code"}, {"/error", "/error/message"}, "/error");
  const UpstreamError flat = f.read(doc(R"({"error": "Bad set", "code": "INVALID"})"));
  EXPECT_EQ(flat.code, "INVALID");
  EXPECT_EQ(flat.message, "Bad set");
  EXPECT_TRUE(flat.present);
  const UpstreamError nested = f.read(doc(R"({"error": {"message": "Slow", "code": "RATE"}})"));
  EXPECT_EQ(nested.code, "RATE");
  EXPECT_EQ(nested.message, "Slow");
  const UpstreamError none = f.read(doc(R"({"data": [], "error": null})"));
  EXPECT_FALSE(none.present);
  EXPECT_EQ(none.code, "");
  EXPECT_FALSE(f.read(doc("[1, 2]")).present);  // not an object: nothing to read
}

TEST(SdkErrorFields, NeverRepeatsTheSecretAndStaysShort) {
  const ErrorFields f({}, {"/message"});
  const std::string body = R"({"message": "key tcg_secret is not valid; tcg_secret again )" +
                           std::string(300, 'x') + "\"}";
  const UpstreamError e = f.read(doc(body.c_str()), "tcg_secret");
  EXPECT_THAT(e.message, Not(HasSubstr("tcg_secret")));
  EXPECT_THAT(e.message, HasSubstr("key [redacted] is not valid; [redacted] again"));
  EXPECT_EQ(e.message.size(), 203U);  // 200 characters and "..."
}

TEST(SdkErrorBody, DetailAndRequestTextReadAsALogLine) {
  EXPECT_EQ(http_detail(404, {"NOT_FOUND", "Game not found", true}),
            "(HTTP 404 NOT_FOUND: Game not found)");
  EXPECT_EQ(http_detail(500, {"", "Busy", true}), "(HTTP 500: Busy)");
  EXPECT_EQ(http_detail(503, {}), "(HTTP 503)");
  Request r;
  r.url = "https://api.x.com/v1/cards?set=a";
  EXPECT_EQ(request_text(r, "https://api.x.com/v1"), "GET /cards?set=a");
  EXPECT_EQ(request_text(r, "https://elsewhere"), "GET https://api.x.com/v1/cards?set=a");
}

}  // namespace
}  // namespace cardsync::sdk
