#include "resilience/resilience_options.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace cardsync {
namespace {

using namespace std::chrono_literals;

rapidjson::Document parse(std::string_view text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

// Calls `visit` for every property schema, with its dotted path.
void each_property(const rapidjson::Value& schema, const std::string& path,
                   const std::function<void(const std::string&, const rapidjson::Value&)>& visit) {
  if (!schema.HasMember("properties")) return;
  for (const auto& m : schema["properties"].GetObject()) {
    const std::string p = path.empty() ? m.name.GetString() : path + "." + m.name.GetString();
    visit(p, m.value);
    each_property(m.value, p, visit);
  }
}

// A document holding every default the schema declares.
rapidjson::Value defaults_of(const rapidjson::Value& schema,
                             rapidjson::Document::AllocatorType& a) {
  if (!schema.HasMember("properties")) return rapidjson::Value(schema["default"], a);
  rapidjson::Value out(rapidjson::kObjectType);
  for (const auto& m : schema["properties"].GetObject()) {
    out.AddMember(rapidjson::Value(m.name, a), defaults_of(m.value, a), a);
  }
  return out;
}

TEST(ResilienceSchema, IsDraft04AndDocumentsEveryProperty) {
  const auto schema = parse(resilience_section_schema());
  EXPECT_STREQ(schema["$schema"].GetString(), "http://json-schema.org/draft-04/schema#");
  EXPECT_FALSE(schema["additionalProperties"].GetBool());
  int count = 0;
  each_property(schema, "", [&](const std::string& path, const rapidjson::Value& p) {
    ++count;
    EXPECT_TRUE(p.HasMember("description") && p["description"].GetStringLength() > 10) << path;
    EXPECT_TRUE(p.HasMember("default")) << path;
    EXPECT_TRUE(p.HasMember("type")) << path;
    if (p["type"] == "object") {
      EXPECT_TRUE(p.HasMember("additionalProperties") && !p["additionalProperties"].GetBool())
          << path;
    }
  });
  EXPECT_EQ(count, 5 + 4 + 6 + 4 + 8 + 4);
}

TEST(ResilienceSchema, DeclaredDefaultsAreTheCodeDefaults) {
  const auto schema = parse(resilience_section_schema());
  rapidjson::Document doc;
  doc.CopyFrom(defaults_of(schema, doc.GetAllocator()), doc.GetAllocator());
  EXPECT_EQ(ResilienceOptions::from_json(doc), ResilienceOptions{});
  EXPECT_EQ(ResilienceOptions::from_json(parse("{}")), ResilienceOptions{});
  EXPECT_EQ(ResilienceOptions::from_json(rapidjson::Value()), ResilienceOptions{});
}

TEST(ResilienceOptionsFromJson, ReadsEveryKey) {
  const auto doc = parse(R"({
    "http": {"connect_timeout_seconds": 2.5, "total_timeout_seconds": 12,
             "max_in_flight": 8, "max_response_bytes": 1048576},
    "retry": {"max_retries": 3, "base_delay_seconds": 0.25, "multiplier": 3,
              "max_delay_seconds": 10, "max_wait_seconds": 20, "deadline_seconds": 90},
    "retry_budget": {"enabled": false, "capacity": 4, "retry_cost": 2, "success_credit": 0.5},
    "breaker": {"consecutive_failures": 3, "failure_rate": 0.25, "minimum_calls": 10,
                "window_seconds": 60, "open_seconds": 30, "max_open_seconds": 300,
                "half_open_probes": 2, "probe_timeout_seconds": 45},
    "pacing": {"requests_per_minute": 10, "burst": 2, "daily_quota": 100, "max_wait_seconds": 15}
  })");
  const auto o = ResilienceOptions::from_json(doc);
  EXPECT_EQ(o.http.connect_timeout, 2500ms);
  EXPECT_EQ(o.http.total_timeout, 12s);
  EXPECT_EQ(o.http.max_in_flight, 8);
  EXPECT_EQ(o.http.max_response_bytes, 1048576u);
  EXPECT_EQ(o.retry.max_retries, 3);
  EXPECT_EQ(o.retry.base_delay, 250ms);
  EXPECT_EQ(o.retry.multiplier, 3.0);
  EXPECT_EQ(o.retry.max_delay, 10s);
  EXPECT_EQ(o.retry.max_wait, 20s);
  EXPECT_EQ(o.retry.deadline, 90s);
  EXPECT_FALSE(o.retry_budget.enabled);
  EXPECT_EQ(o.retry_budget.capacity, 4.0);
  EXPECT_EQ(o.retry_budget.retry_cost, 2.0);
  EXPECT_EQ(o.retry_budget.success_credit, 0.5);
  EXPECT_EQ(o.breaker.consecutive_failures, 3);
  EXPECT_EQ(o.breaker.failure_rate, 0.25);
  EXPECT_EQ(o.breaker.minimum_calls, 10);
  EXPECT_EQ(o.breaker.window, 60s);
  EXPECT_EQ(o.breaker.open_period, 30s);
  EXPECT_EQ(o.breaker.max_open_period, 300s);
  EXPECT_EQ(o.breaker.half_open_probes, 2);
  EXPECT_EQ(o.breaker.probe_timeout, 45s);
  EXPECT_EQ(o.pacing.requests_per_minute, 10.0);
  EXPECT_EQ(o.pacing.burst, 2.0);
  EXPECT_EQ(o.pacing.daily_quota, 100);
  EXPECT_EQ(o.pacing.max_wait, 15s);
}

TEST(ResilienceOptionsFromJson, ProviderOverrideWinsKeyByKey) {
  const auto section = parse(R"({"breaker": {"consecutive_failures": 3, "open_seconds": 60},
                                 "pacing": {"requests_per_minute": 100}})");
  const auto psa = parse(R"({"breaker": {"open_seconds": 30}, "pacing": {"daily_quota": 100}})");
  const auto o = ResilienceOptions::from_json(section, &psa);
  EXPECT_EQ(o.breaker.consecutive_failures, 3);  // from the section
  EXPECT_EQ(o.breaker.open_period, 30s);         // overridden
  EXPECT_EQ(o.pacing.requests_per_minute, 100);  // from the section
  EXPECT_EQ(o.pacing.daily_quota, 100);          // from the override
  EXPECT_EQ(o.retry, RetryOptions{});            // untouched defaults
}

TEST(ResilienceOptionsFromJson, RejectsWhatTheSchemaForbids) {
  auto message = [](std::string_view text, bool as_override) -> std::string {
    const auto bad = parse(text);
    const auto empty = parse("{}");
    try {
      if (as_override) {
        (void)ResilienceOptions::from_json(empty, &bad);
      } else {
        (void)ResilienceOptions::from_json(bad);
      }
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(message(R"({"retry": {"max_retries": -1}})", false).find("/retry/max_retries"),
            std::string::npos);
  EXPECT_NE(message(R"({"retry": {"maxretries": 3}})", false).find("additionalProperties"),
            std::string::npos);
  EXPECT_NE(message(R"({"breakr": {}})", false), "");
  EXPECT_NE(message(R"({"http": {"max_in_flight": "4"}})", false).find("type"), std::string::npos);
  EXPECT_NE(message(R"({"breaker": {"failure_rate": 1.5}})", false), "");
  EXPECT_NE(message(R"({"pacing": {"daily_quota": 1.5}})", true).find("providers"),
            std::string::npos);
  EXPECT_NE(message(R"({"breaker": {"open_seconds": 700}})", false).find("max_open_seconds"),
            std::string::npos);
  EXPECT_NE(message(R"([1, 2])", false), "");
  // Out-of-range values would overflow durations and counters: refused, not wrapped.
  EXPECT_NE(message(R"({"retry": {"deadline_seconds": 1e300}})", false).find("maximum"),
            std::string::npos);
  EXPECT_NE(message(R"({"breaker": {"consecutive_failures": 99999999999}})", false), "");
}

TEST(ResilienceOptionsForProvider, TheProviderDailyQuotaIsTheServicePacingQuota) {
  const auto section = parse(R"({"pacing": {"daily_quota": 7}})");
  const auto psa = parse(R"({"token": "t", "daily_quota": 100})");
  EXPECT_EQ(ResilienceOptions::for_provider(section, "psa", psa).pacing.daily_quota, 100);
  // A section without daily_quota leaves the quota the resilience options give.
  const auto untouched = parse(R"({"api_key": "k"})");
  EXPECT_EQ(ResilienceOptions::for_provider(section, "psa", untouched).pacing.daily_quota, 7);
}

TEST(ResilienceOptionsForProvider, TheProviderOwnResilienceOverridesTheSection) {
  const auto section = parse(R"({"retry": {"max_retries": 5}, "pacing": {"daily_quota": 7}})");
  const auto psa = parse(R"({"daily_quota": 100, "resilience": {"retry": {"max_retries": 2}}})");
  const auto o = ResilienceOptions::for_provider(section, "psa", psa);
  EXPECT_EQ(o.retry.max_retries, 2);
  EXPECT_EQ(o.pacing.daily_quota, 100);
  // The provider's resilience alone may set the quota too.
  const auto own = parse(R"({"resilience": {"pacing": {"daily_quota": 5}}})");
  EXPECT_EQ(ResilienceOptions::for_provider(section, "psa", own).pacing.daily_quota, 5);
}

TEST(ResilienceOptionsForProvider, SettingTheQuotaTwiceIsRefused) {
  const auto section = parse("{}");
  const auto psa = parse(R"({"daily_quota": 100, "resilience": {"pacing": {"daily_quota": 5}}})");
  try {
    (void)ResilienceOptions::for_provider(section, "psa", psa);
    FAIL() << "two sources of one option must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("providers.psa.resilience.pacing.daily_quota"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("providers.psa.daily_quota"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace cardsync
