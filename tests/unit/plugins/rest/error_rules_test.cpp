// Reading answers: rules by status and body pointer, messages from the body, and the
// defaults when no rule matches.
#include "error_rules.hpp"

#include <gtest/gtest.h>

#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

ErrorRules rules(const std::string& spec) {
  Problems p;
  TemplateRules t;
  const auto doc = test::parse_jsonc(spec);
  ErrorRules out = ErrorRules::parse(&doc, t, p, "/errors");
  EXPECT_TRUE(p.empty()) << p.summary();
  return out;
}

std::optional<Verdict> match(const ErrorRules& r, int status, const std::string& body) {
  const auto doc = test::parse_jsonc(body);
  Scope s;
  s.body = &doc;
  s.status = status;
  return r.match(status, &doc, s);
}

TEST(ErrorRules, TheFirstMatchingRuleDecidesWithItsMessage) {
  const auto r = rules(R"j([
    {"status": [400], "pointer": "/error", "contains": "No card matching", "action": "empty"},
    {"pointer": "/code", "equals": "DAILY_LIMIT_EXCEEDED", "action": "retry",
     "message": "quota spent: {body.error} (HTTP {response.status})"},
    {"status": [400], "action": "permanent", "message": "bad request: {body.error}"}])j");
  EXPECT_EQ(match(r, 400, R"({"error": "No card matching your query"})")->action, Action::empty);
  const auto quota = match(r, 429, R"({"error": "Daily limit", "code": "DAILY_LIMIT_EXCEEDED"})");
  ASSERT_TRUE(quota);
  EXPECT_EQ(quota->action, Action::retry);
  EXPECT_EQ(quota->message, "quota spent: Daily limit (HTTP 429)");
  const auto bad = match(r, 400, R"({"error": "num without offset"})");
  EXPECT_EQ(bad->action, Action::permanent);
  EXPECT_EQ(bad->message, "bad request: num without offset");
  EXPECT_FALSE(match(r, 500, R"({"error": "boom"})"));
}

TEST(ErrorRules, ARuleCanTurnA200IntoAnError) {
  const auto r = rules(R"([{"status": [200], "pointer": "/error", "action": "permanent"}])");
  EXPECT_EQ(match(r, 200, R"({"data": [], "error": "bad orderBy"})")->action, Action::permanent);
  EXPECT_FALSE(match(r, 200, R"({"data": [], "error": null})"));
}

TEST(ErrorRules, DefaultsRetryTransientFailuresAndStopOnCredentials) {
  EXPECT_EQ(default_action(200), Action::ok);
  EXPECT_EQ(default_action(429), Action::retry);
  EXPECT_EQ(default_action(503), Action::retry);
  EXPECT_EQ(default_action(408), Action::retry);
  EXPECT_EQ(default_action(401), Action::fatal);
  EXPECT_EQ(default_action(403), Action::fatal);
  EXPECT_EQ(default_action(404), Action::permanent);
}

}  // namespace
}  // namespace cardsync::rest
