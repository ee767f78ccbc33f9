#include "config/env_substitution.hpp"

#include <gtest/gtest.h>

#include "config/config_parser.hpp"
#include "fake_env.hpp"

namespace cardsync::config {
namespace {

using fixtures::fake_env;

const EnvLookup& env() {
  static const EnvLookup lookup =
      fake_env({{"HOST", "db.example"}, {"PORT", "5432"}, {"EMPTY", ""}, {"KEY", "k-123"}});
  return lookup;
}

TEST(ExpandEnv, ReplacesSetVariables) {
  const auto out = expand_env("postgres://${HOST}:${PORT}/cards", env());
  EXPECT_TRUE(out.errors.empty());
  EXPECT_EQ(out.text, "postgres://db.example:5432/cards");
  EXPECT_TRUE(out.substituted);
  EXPECT_FALSE(out.whole);
}

TEST(ExpandEnv, DefaultAppliesWhenUnsetOrEmpty) {
  EXPECT_EQ(expand_env("${MISSING:-8080}", env()).text, "8080");
  EXPECT_EQ(expand_env("${EMPTY:-fallback}", env()).text, "fallback");
  EXPECT_EQ(expand_env("${PORT:-8080}", env()).text, "5432");
  EXPECT_EQ(expand_env("${MISSING:-}", env()).text, "");
  EXPECT_EQ(expand_env("${MISSING:-a b:c}", env()).text, "a b:c");
}

TEST(ExpandEnv, SetButEmptyWithoutDefaultIsEmpty) {
  const auto out = expand_env("${EMPTY}", env());
  EXPECT_TRUE(out.errors.empty());
  EXPECT_EQ(out.text, "");
}

TEST(ExpandEnv, DoubleDollarEscapesALiteral) {
  const auto out = expand_env("cost $${HOST} and $5 and $$", env());
  EXPECT_TRUE(out.errors.empty());
  EXPECT_EQ(out.text, "cost ${HOST} and $5 and $$");
  EXPECT_FALSE(out.substituted);
}

TEST(ExpandEnv, WholeMeansExactlyOneExpression) {
  EXPECT_TRUE(expand_env("${PORT}", env()).whole);
  EXPECT_TRUE(expand_env("${MISSING:-1}", env()).whole);
  EXPECT_FALSE(expand_env("${PORT}${PORT}", env()).whole);
  EXPECT_FALSE(expand_env(" ${PORT}", env()).whole);
  EXPECT_FALSE(expand_env("${PORT}}", env()).whole);
  EXPECT_FALSE(expand_env("$${PORT}", env()).whole);
}

TEST(ExpandEnv, UnsetWithoutDefaultNamesTheVariable) {
  const auto out = expand_env("x-${NOPE}-y", env());
  ASSERT_EQ(out.errors.size(), 1U);
  EXPECT_EQ(out.errors[0],
            "environment variable NOPE is not set and \"${NOPE}\" has no default (set it, or "
            "write \"${NOPE:-default}\")");
}

TEST(ExpandEnv, BadExpressionsAreErrors) {
  EXPECT_EQ(expand_env("${1ABC}", env()).errors.size(), 1U);
  EXPECT_EQ(expand_env("${}", env()).errors.size(), 1U);
  EXPECT_EQ(expand_env("${A-B}", env()).errors.size(), 1U);
  const auto unterminated = expand_env("abc${HOST", env());
  ASSERT_EQ(unterminated.errors.size(), 1U);
  EXPECT_EQ(unterminated.errors[0],
            "unterminated \"${\" at character 4 (missing \"}\"; write \"$${\" for a literal "
            "\"${\")");
}

TEST(SubstituteEnv, ReplacesStringValuesButNotKeys) {
  auto result =
      parse_text(R"({"${HOST}": {"list": ["${KEY}", 1, true], "n": "${PORT}"}})", "c.json", env());
  auto& doc = std::get<ParsedConfig>(result).doc;
  ASSERT_TRUE(doc.HasMember("${HOST}"));
  EXPECT_STREQ(doc["${HOST}"]["list"][0].GetString(), "k-123");
  EXPECT_STREQ(doc["${HOST}"]["n"].GetString(), "5432");  // still a string until a schema says
  const auto& subs = std::get<ParsedConfig>(result).substitutions;
  ASSERT_EQ(subs.size(), 2U);
  EXPECT_EQ(subs[0].path, "/${HOST}/list/0");
  EXPECT_EQ(subs[1].path, "/${HOST}/n");
  EXPECT_EQ(subs[1].source, "${PORT}");
  EXPECT_TRUE(subs[1].whole);
}

TEST(SubstituteEnv, UnsetVariableIsADiagnosticWithItsPath) {
  auto result = parse_text(R"({"providers": {"justtcg": {"api_key": "${JUSTTCG_API_KEY}"}}})",
                           "cardsync.json", env());
  const auto& errors = std::get<ParsedConfig>(result).problems;
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].to_string(),
            "cardsync.json: /providers/justtcg/api_key: environment variable JUSTTCG_API_KEY is "
            "not set and \"${JUSTTCG_API_KEY}\" has no default (set it, or write "
            "\"${JUSTTCG_API_KEY:-default}\")");
}

TEST(SubstituteEnv, DefaultIsUsedForAnUnsetVariable) {
  auto result = parse_text(R"({"log": {"level": "${LOG_LEVEL:-info}"}})", "c.json", env());
  EXPECT_STREQ(std::get<ParsedConfig>(result).doc["log"]["level"].GetString(), "info");
}

TEST(SubstituteEnv, CollectsEveryErrorInTheDocument) {
  auto result = parse_text(R"({"a": "${A}", "b": ["${B} ${C}"], "c": {"d": "${D:-ok} ${E}"}})",
                           "c.json", env());
  const auto& errors = std::get<ParsedConfig>(result).problems;
  ASSERT_EQ(errors.size(), 4U);
  EXPECT_EQ(errors[0].path, "/a");
  EXPECT_EQ(errors[1].path, "/b/0");
  EXPECT_EQ(errors[2].path, "/b/0");
  EXPECT_EQ(errors[3].path, "/c/d");
  EXPECT_NE(errors[2].message.find("variable C "), std::string::npos);
  EXPECT_NE(errors[3].message.find("variable E "), std::string::npos);
}

TEST(SubstituteEnv, PathsEscapeSlashAndTilde) {
  auto result = parse_text(R"({"a/b": {"c~d": "${X}"}})", "c.json", env());
  const auto& errors = std::get<ParsedConfig>(result).problems;
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].path, "/a~1b/c~0d");
}

}  // namespace
}  // namespace cardsync::config
