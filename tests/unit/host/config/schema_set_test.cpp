#include "config/schema_set.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "config/pretty_json.hpp"
#include "fake_env.hpp"
#include "test_schemas.hpp"

namespace cardsync::config {
namespace {

using fixtures::fake_env;
using fixtures::full_schema_set;

ParsedConfig parse(std::string_view text, const EnvLookup& env = fake_env()) {
  auto result = parse_text(text, "cardsync.json", env);
  if (auto* errors = std::get_if<std::vector<Diagnostic>>(&result)) {
    ADD_FAILURE() << "parse failed: " << errors->at(0).to_string();
    return {};
  }
  return std::move(std::get<ParsedConfig>(result));
}

std::vector<std::string> lines(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  out.reserve(diagnostics.size());
  for (const auto& d : diagnostics) out.push_back(d.to_string());
  return out;
}

std::vector<std::string> check(std::string_view text, const EnvLookup& env = fake_env()) {
  const SchemaSet set = full_schema_set();
  ParsedConfig config = parse(text, env);
  return lines(set.resolve(config));
}

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(SchemaSet, ValidConfigHasNoDiagnostics) {
  EXPECT_THAT(check(R"({
    "plugin_dirs": ["/usr/lib/cardsync"],
    "log": {"level": "debug"},
    "providers": {
      "justtcg": {"api_key": "k", "plan": "starter", "resilience": {"max_attempts": 3}},
      "psa": {"token": "t"}
    },
    "storage": {"sqlite": {"path": "/var/lib/cardsync.db"}}
  })"),
              IsEmpty());
  EXPECT_THAT(check("{}"), IsEmpty());
}

TEST(SchemaSet, WrongTypeSaysWhatWasExpectedAndFound) {
  EXPECT_THAT(
      check(R"({"providers": {"justtcg": {"api_key": "k", "requests_per_minute": "abc"}}})"),
      ElementsAre("cardsync.json: /providers/justtcg/requests_per_minute: expected integer, "
                  "found string \"abc\""));
  EXPECT_THAT(check(R"({"plugin_dirs": "/usr/lib"})"),
              ElementsAre("cardsync.json: /plugin_dirs: expected array, found string "
                          "\"/usr/lib\""));
  EXPECT_THAT(check(R"({"plugin_dirs": ["/a", 5]})"),
              ElementsAre("cardsync.json: /plugin_dirs/1: expected string, found integer 5"));
  EXPECT_THAT(check("[]"), ElementsAre("cardsync.json: expected object, found array"));
}

TEST(SchemaSet, EnumListsTheAllowedValues) {
  EXPECT_THAT(check(R"({"providers": {"justtcg": {"api_key": "k", "plan": "gold"}}})"),
              ElementsAre("cardsync.json: /providers/justtcg/plan: expected one of \"free\", "
                          "\"starter\", \"professional\", \"enterprise\", found \"gold\""));
}

TEST(SchemaSet, RangesAndPatterns) {
  EXPECT_THAT(
      check(R"({"providers": {"justtcg": {"api_key": "k", "requests_per_minute": 0,
                                         "base_url": "ftp://x"}}})"),
      ElementsAre("cardsync.json: /providers/justtcg/requests_per_minute: expected integer >= 1, "
                  "found 0",
                  "cardsync.json: /providers/justtcg/base_url: expected a string matching the "
                  "pattern \"^https?://\", found \"ftp://x\""));
  EXPECT_THAT(check(R"({"providers": {"justtcg": {"api_key": "k", "requests_per_minute": 601}}})"),
              ElementsAre("cardsync.json: /providers/justtcg/requests_per_minute: expected "
                          "integer <= 600, found 601"));
  EXPECT_THAT(check(R"({"providers": {"justtcg": {"api_key": ""}}})"),
              ElementsAre("cardsync.json: /providers/justtcg/api_key: expected a string of at "
                          "least 1 characters, found \"\""));
}

TEST(SchemaSet, EveryKeywordHasAReadableMessage) {
  SchemaSet set;
  set.add_plugin("storage", "kw", R"({
    "properties": {
      "ratio": {"type": "number", "exclusiveMinimum": true, "minimum": 0,
                "exclusiveMaximum": true, "maximum": 1},
      "step": {"type": "integer", "multipleOf": 5},
      "name": {"type": "string", "maxLength": 3},
      "hosts": {"type": "array", "minItems": 2, "uniqueItems": true},
      "tags": {"type": "object", "minProperties": 1},
      "user": {"type": "string"},
      "pass": {"type": "string"}
    },
    "dependencies": {"user": ["pass"]}
  })");
  ParsedConfig config = parse(R"({"storage": {"kw": {
    "ratio": 0, "step": 7, "name": "abcd", "hosts": ["a"], "tags": {}, "user": "u"}}})");
  EXPECT_THAT(lines(set.validate(config)),
              ElementsAre("cardsync.json: /storage/kw: key \"user\" also requires key \"pass\"",
                          "cardsync.json: /storage/kw/ratio: expected number > 0, found 0",
                          "cardsync.json: /storage/kw/step: expected a multiple of 5, found 7",
                          "cardsync.json: /storage/kw/name: expected a string of at most 3 "
                          "characters, found \"abcd\"",
                          "cardsync.json: /storage/kw/hosts: expected an array of at least 2 "
                          "items, found 1 item",
                          "cardsync.json: /storage/kw/tags: expected an object with at least 1 "
                          "keys, found 0"));
  ParsedConfig more = parse(R"({"storage": {"kw": {"ratio": 1, "hosts": ["a", "a"]}}})");
  EXPECT_THAT(lines(set.validate(more)),
              ElementsAre("cardsync.json: /storage/kw/ratio: expected number < 1, found 1",
                          "cardsync.json: /storage/kw/hosts/1: expected array items to be "
                          "unique, found a repeated string \"a\""));
}

TEST(SchemaSet, MissingRequiredKey) {
  EXPECT_THAT(check(R"({"providers": {"justtcg": {"plan": "free"}}})"),
              ElementsAre("cardsync.json: /providers/justtcg: missing required key \"api_key\""));
}

TEST(SchemaSet, UnknownKeySuggestsTheClosestAllowedKey) {
  EXPECT_THAT(check(R"({"providers": {"justtcg": {"api_key": "k", "api_kee": "k"}}})"),
              ElementsAre("cardsync.json: /providers/justtcg/api_kee: unknown key \"api_kee\"; "
                          "did you mean \"api_key\"?"));
  EXPECT_THAT(check(R"({"plugin_dir": []})"),
              ElementsAre("cardsync.json: /plugin_dir: unknown key \"plugin_dir\"; did you mean "
                          "\"plugin_dirs\"?"));
  EXPECT_THAT(check(R"({"log": {"levle": "info"}})"),
              ElementsAre("cardsync.json: /log/levle: unknown key \"levle\"; did you mean "
                          "\"level\"?"));
}

TEST(SchemaSet, UnknownKeyWithoutCloseMatchListsAllowedKeys) {
  EXPECT_THAT(check(R"({"log": {"colour": true}})"),
              ElementsAre("cardsync.json: /log/colour: unknown key \"colour\"; allowed keys: "
                          "\"level\", \"format\""));
}

TEST(SchemaSet, HostKeysAreAllowedAndValidatedInEveryProviderSection) {
  EXPECT_THAT(check(R"({"providers": {"psa": {"token": "t", "resilience": {"max_attempts": 0,
                                                           "breaker": {"failure_treshold": 2}}}}})"),
              ElementsAre("cardsync.json: /providers/psa/resilience/max_attempts: expected "
                          "integer >= 1, found 0",
                          "cardsync.json: /providers/psa/resilience/breaker/failure_treshold: "
                          "unknown key \"failure_treshold\"; did you mean \"failure_threshold\"?"));
  // Host-owned provider keys are not storage keys.
  EXPECT_THAT(check(R"({"storage": {"sqlite": {"resilience": {}}}})"),
              ElementsAre(HasSubstr("/storage/sqlite/resilience: unknown key \"resilience\"")));
}

TEST(SchemaSet, UnknownPluginSectionNamesLoadedPlugins) {
  EXPECT_THAT(check(R"({"providers": {"justcg": {}}})"),
              ElementsAre("cardsync.json: /providers/justcg: unknown provider \"justcg\": no "
                          "provider plugin of that name is loaded; did you mean \"justtcg\"? "
                          "(loaded provider plugins: \"justtcg\", \"psa\")"));
  EXPECT_THAT(check(R"({"storage": {"mysql": {}}})"),
              ElementsAre("cardsync.json: /storage/mysql: unknown storage \"mysql\": no storage "
                          "plugin of that name is loaded (loaded storage plugins: \"postgres\", "
                          "\"sqlite\")"));
}

TEST(SchemaSet, UnknownPluginWhenNoneAreLoadedPointsAtPluginDirs) {
  const SchemaSet set;
  ParsedConfig config = parse(R"({"providers": {"psa": {}}})");
  EXPECT_THAT(lines(set.validate(config)),
              ElementsAre("cardsync.json: /providers/psa: unknown provider \"psa\": no provider "
                          "plugin of that name is loaded (no provider plugins are loaded; check "
                          "plugin_dirs)"));
}

TEST(SchemaSet, AtMostOneStorageSection) {
  EXPECT_THAT(check(R"({"storage": {"sqlite": {}, "postgres": {"url": "postgres://h/db"}}})"),
              ElementsAre("cardsync.json: /storage: configure at most 1 storage plugin, found 2: "
                          "\"sqlite\", \"postgres\""));
}

TEST(SchemaSet, PluginSectionViolatingThePluginsOwnSchema) {
  SchemaSet set;
  set.add_plugin("providers", "demo", R"({
    "properties": {"endpoint": {"type": "string"}, "retries": {"type": "integer", "maximum": 3}},
    "required": ["endpoint"]
  })");
  ParsedConfig config = parse(R"({"providers": {"demo": {"retries": 9, "extra": 1}}})");
  EXPECT_THAT(lines(set.validate(config)),
              ElementsAre("cardsync.json: /providers/demo: missing required key \"endpoint\"",
                          "cardsync.json: /providers/demo/retries: expected integer <= 3, found 9",
                          "cardsync.json: /providers/demo/extra: unknown key \"extra\"; allowed "
                          "keys: \"endpoint\", \"retries\""));
}

TEST(SchemaSet, PluginWithoutSchemaTakesNoKeysButHostKeys) {
  SchemaSet set;
  set.add_provider_host_key("resilience", fixtures::kResilienceKey);
  set.add_plugin("providers", "bare", "");
  ParsedConfig good = parse(R"({"providers": {"bare": {"resilience": {}}}})");
  EXPECT_THAT(set.validate(good), IsEmpty());
  ParsedConfig bad = parse(R"({"providers": {"bare": {"x": 1}}})");
  EXPECT_THAT(lines(set.validate(bad)),
              ElementsAre("cardsync.json: /providers/bare/x: unknown key \"x\"; allowed keys: "
                          "\"resilience\""));
}

TEST(SchemaSet, SeveralErrorsInOneFileAreAllReported) {
  EXPECT_THAT(check(R"({
    "plugin_dirs": [1],
    "log": {"level": "loud", "fromat": "json"},
    "providers": {
      "justtcg": {"plan": "gold", "requests_per_minute": "fast"},
      "psa": {"token": 7},
      "pokemon": {}
    },
    "storage": {"sqlite": {"busy_timeout_ms": -1}},
    "extra": true
  })"),
              ElementsAre("cardsync.json: /plugin_dirs/0: expected string, found integer 1",
                          "cardsync.json: /log/level: expected one of \"debug\", \"info\", "
                          "\"warn\", \"error\", found \"loud\"",
                          "cardsync.json: /log/fromat: unknown key \"fromat\"; did you mean "
                          "\"format\"?",
                          "cardsync.json: /providers/justtcg: missing required key \"api_key\"",
                          "cardsync.json: /providers/justtcg/plan: expected one of \"free\", "
                          "\"starter\", \"professional\", \"enterprise\", found \"gold\"",
                          "cardsync.json: /providers/justtcg/requests_per_minute: expected "
                          "integer, found string \"fast\"",
                          "cardsync.json: /providers/psa/token: expected string, found integer "
                          "***",
                          "cardsync.json: /providers/pokemon: unknown provider \"pokemon\": no "
                          "provider plugin of that name is loaded (loaded provider plugins: "
                          "\"justtcg\", \"psa\")",
                          "cardsync.json: /storage/sqlite/busy_timeout_ms: expected integer >= 0, "
                          "found -1",
                          "cardsync.json: /extra: unknown key \"extra\"; allowed keys: "
                          "\"plugin_dirs\", \"providers\", \"storage\", \"log\""));
}

TEST(SchemaSet, DiagnosticsNeverQuoteSecrets) {
  const auto errors = check(R"({"providers": {
      "justtcg": {"api_key": ["sk_live_123"], "base_url": "postgres://u:hunter2@h/x"},
      "psa": {"token": 12345}}})");
  ASSERT_EQ(errors.size(), 3U);
  for (const auto& e : errors) {
    EXPECT_EQ(e.find("sk_live_123"), std::string::npos) << e;
    EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;
    EXPECT_EQ(e.find("12345"), std::string::npos) << e;
  }
}

TEST(SchemaSet, WholeSubstitutionsBecomeTheTypeTheSchemaExpects) {
  const SchemaSet set = full_schema_set();
  ParsedConfig config = parse(R"({"providers": {"justtcg": {
      "api_key": "${KEY}", "requests_per_minute": "${RPM:-120}", "verbose": "${VERBOSE}",
      "plan": "${PLAN:-free}"}}})",
                              fake_env({{"KEY", "123"}, {"VERBOSE", "true"}}));
  EXPECT_THAT(set.resolve(config), IsEmpty());
  const auto& justtcg = config.doc["providers"]["justtcg"];
  EXPECT_TRUE(justtcg["api_key"].IsString());  // the schema says string: "123" stays text
  ASSERT_TRUE(justtcg["requests_per_minute"].IsInt());
  EXPECT_EQ(justtcg["requests_per_minute"].GetInt(), 120);
  ASSERT_TRUE(justtcg["verbose"].IsBool());
  EXPECT_TRUE(justtcg["verbose"].GetBool());
  EXPECT_STREQ(justtcg["plan"].GetString(), "free");
}

TEST(SchemaSet, BadSubstitutedValueNamesItsSource) {
  EXPECT_THAT(check(R"({"providers": {"justtcg": {"api_key": "k",
                                                  "requests_per_minute": "${RPM}"}}})",
                    fake_env({{"RPM", "lots"}})),
              ElementsAre("cardsync.json: /providers/justtcg/requests_per_minute: expected "
                          "integer, found string \"lots\" (from \"${RPM}\")"));
  // A substitution inside a longer string is never converted.
  EXPECT_THAT(check(R"({"providers": {"justtcg": {"api_key": "k",
                                                  "requests_per_minute": "${RPM}0"}}})",
                    fake_env({{"RPM", "1"}})),
              ElementsAre(HasSubstr("expected integer, found string \"10\" (from \"${RPM}0\")")));
}

TEST(SchemaSet, ApplyDefaultsFillsEveryDeclaredDefault) {
  const SchemaSet set = full_schema_set();
  ParsedConfig config = parse(R"({"providers": {"justtcg": {"api_key": "k", "plan": "starter",
                                   "resilience": {}}}, "storage": {"sqlite": {}}})");
  ASSERT_THAT(set.resolve(config), IsEmpty());
  const auto& doc = config.doc;
  EXPECT_TRUE(doc["plugin_dirs"].IsArray());
  EXPECT_STREQ(doc["log"]["level"].GetString(), "info");  // the section object is created
  EXPECT_STREQ(doc["log"]["format"].GetString(), "auto");
  const auto& justtcg = doc["providers"]["justtcg"];
  EXPECT_STREQ(justtcg["plan"].GetString(), "starter");  // given values win
  EXPECT_EQ(justtcg["requests_per_minute"].GetInt(), 30);
  EXPECT_STREQ(justtcg["base_url"].GetString(), "https://api.justtcg.com/v1");
  EXPECT_STREQ(justtcg["games"][0].GetString(), "pokemon");
  // A provider's host-key section overrides the host-wide one key by key, so defaults are
  // never copied into it (they would silently replace the user's host-wide settings).
  EXPECT_FALSE(justtcg["resilience"].HasMember("max_attempts"));
  EXPECT_FALSE(justtcg["resilience"].HasMember("breaker"));
  EXPECT_EQ(doc["storage"]["sqlite"]["busy_timeout_ms"].GetInt(), 5000);
  // Configuring a plugin is what enables it; defaults never add one.
  EXPECT_FALSE(doc["providers"].HasMember("psa"));
  EXPECT_FALSE(doc["storage"].HasMember("postgres"));
  EXPECT_FALSE(justtcg.HasMember("api_key") && !justtcg["api_key"].IsString());
}

TEST(SchemaSet, ApplyDefaultsLeavesTheDocumentValid) {
  const SchemaSet set = full_schema_set();
  ParsedConfig config = parse(R"({"providers": {"psa": {"token": "t"}}})");
  ASSERT_THAT(set.resolve(config), IsEmpty());
  EXPECT_THAT(set.validate(config), IsEmpty()) << to_pretty_json(config.doc);
}

TEST(SchemaSet, LocalRefsInPluginSchemasAreResolved) {
  SchemaSet set;
  set.add_plugin("providers", "refs", R"({
    "definitions": {"limit": {"type": "integer", "minimum": 1}},
    "properties": {"a": {"$ref": "#/definitions/limit"},
                   "b": {"type": "array", "items": {"$ref": "#/definitions/limit"}}}
  })");
  ParsedConfig config = parse(R"({"providers": {"refs": {"a": 0, "b": [1, "x"]}}})");
  EXPECT_THAT(lines(set.validate(config)),
              ElementsAre("cardsync.json: /providers/refs/a: expected integer >= 1, found 0",
                          "cardsync.json: /providers/refs/b/1: expected integer, found string "
                          "\"x\""));
}

TEST(SchemaSet, CombinatorsAreReportedByRapidJson) {
  SchemaSet set;
  set.add_plugin("storage", "either", R"({
    "properties": {"target": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}
  })");
  ParsedConfig config = parse(R"({"storage": {"either": {"target": true}}})");
  EXPECT_THAT(lines(set.validate(config)),
              ElementsAre("cardsync.json: /storage/either/target: expected a value matching "
                          "exactly one of the allowed forms (oneOf), found boolean true"));
}

TEST(SchemaSet, UnusableSchemasAreRefusedWithTheirName) {
  SchemaSet set;
  set.add_provider_host_key("resilience", fixtures::kResilienceKey);
  set.add_plugin("providers", "ok", "{}");
  auto message_of = [&](auto&& action) {
    try {
      action();
    } catch (const SchemaError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message_of([&] { set.add_plugin("providers", "bad", "{\n\"type\": }"); }),
            "config schema of provider plugin \"bad\": invalid JSON at line 2, column 9: Invalid "
            "value.");
  EXPECT_EQ(message_of([&] { set.add_plugin("providers", "ok", "{}"); }),
            "provider plugin \"ok\" is registered twice");
  EXPECT_EQ(message_of([&] { set.add_plugin("storage", "s", R"({"type": "string"})"); }),
            "config schema of storage plugin \"s\": a plugin section is a JSON object, so "
            "\"type\" must be \"object\"");
  EXPECT_EQ(message_of([&] {
              set.add_plugin("providers", "clash", R"({"properties": {"resilience": {}}})");
            }),
            "config schema of provider plugin \"clash\" declares the key \"resilience\", which "
            "the host owns in every provider section; rename it");
  EXPECT_EQ(
      message_of([&] { set.add_plugin("providers", "remote", R"({"$ref": "http://x/s.json"})"); }),
      "config schema of provider plugin \"remote\": only local \"$ref\"s (\"#/...\") are "
      "supported");
  EXPECT_EQ(message_of([&] {
              set.add_plugin("providers", "loop",
                             R"({"definitions": {"a": {"$ref": "#/definitions/a"}},
                                 "properties": {"x": {"$ref": "#/definitions/a"}}})");
            }),
            "config schema of provider plugin \"loop\": \"$ref\": \"#/definitions/a\" is "
            "recursive, which is not supported");
  EXPECT_EQ(message_of([&] { set.add_plugin("widgets", "w", "{}"); }),
            "unknown plugin kind \"widgets\" (expected \"providers\" or \"storage\")");
  EXPECT_EQ(message_of([&] { set.add_section("providers", "{}"); }),
            "config section \"providers\" is defined twice");
  EXPECT_EQ(message_of([&] { set.add_section("plugin_dirs", "{}"); }),
            "config section \"plugin_dirs\" is defined twice");
  // Nothing half-added: the set still validates with what was accepted.
  ParsedConfig config = parse(R"({"providers": {"ok": {}}})");
  EXPECT_THAT(set.validate(config), IsEmpty());
}

TEST(SchemaSet, AddingAPluginAfterValidatingTakesEffect) {
  SchemaSet set;
  ParsedConfig config = parse(R"({"storage": {"sqlite": {"path": "x.db"}}})");
  EXPECT_EQ(set.validate(config).size(), 1U);
  set.add_plugin("storage", "sqlite", fixtures::kSqlite);
  EXPECT_THAT(set.validate(config), IsEmpty());
}

TEST(SchemaSet, ProviderKindIsAcceptedInTheSingular) {
  SchemaSet set;
  set.add_plugin("provider", "psa", fixtures::kPsa);
  ParsedConfig config = parse(R"({"providers": {"psa": {"token": "t"}}})");
  EXPECT_THAT(set.validate(config), IsEmpty());
}

TEST(SchemaSet, ConcurrentValidationsShareOneCompiledSchema) {
  const SchemaSet set = full_schema_set();
  const ParsedConfig bad = parse(R"({"providers": {"psa": {"daily_quota": -1}}})");
  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  threads.reserve(results.size());
  for (auto& result : results) {
    threads.emplace_back([&set, &bad, &result] { result = lines(set.validate(bad)); });
  }
  for (auto& t : threads) t.join();
  for (const auto& result : results) {
    EXPECT_THAT(result, ElementsAre("cardsync.json: /providers/psa: missing required key \"token\"",
                                    "cardsync.json: /providers/psa/daily_quota: expected integer "
                                    ">= 0, found -1"));
  }
}

}  // namespace
}  // namespace cardsync::config
