#include <gmock/gmock.h>

#include <rapidjson/document.h>

#include "cache/cert_cache_options.hpp"

namespace cardsync::cache {
namespace {

rapidjson::Document parse(const char* text) {
  rapidjson::Document doc;
  doc.Parse(text);
  return doc;
}

TEST(CertCacheOptions, ReadFromThePsaSectionWithDefaults) {
  auto none = read_cert_cache_options(nullptr);
  EXPECT_EQ(none.ttl, std::chrono::hours(24 * 7));
  EXPECT_EQ(none.not_found_ttl, std::chrono::hours(24));
  EXPECT_EQ(none.deadline, std::chrono::seconds(5));
  auto doc = parse(
      R"({"token":"t","ttl_seconds":60,"not_found_ttl_seconds":30,"lookup_deadline_seconds":0.5})");
  auto o = read_cert_cache_options(&doc);
  EXPECT_EQ(o.ttl, std::chrono::seconds(60));
  EXPECT_EQ(o.not_found_ttl, std::chrono::seconds(30));
  EXPECT_EQ(o.deadline, std::chrono::milliseconds(500));
}

TEST(CertCacheOptions, TheProviderDailyQuotaIsTheServicePacingQuota) {
  ResilienceOptions options;
  apply_provider_daily_quota("psa", parse(R"({"daily_quota":100})"), options);
  EXPECT_EQ(options.pacing.daily_quota, 100);
  ResilienceOptions untouched;
  untouched.pacing.daily_quota = 7;
  apply_provider_daily_quota("psa", parse(R"({"api_key":"k"})"), untouched);
  EXPECT_EQ(untouched.pacing.daily_quota, 7);
}

TEST(CertCacheOptions, SettingTheQuotaTwiceIsRefused) {
  ResilienceOptions options;
  try {
    apply_provider_daily_quota(
        "psa", parse(R"({"daily_quota":100,"resilience":{"pacing":{"daily_quota":5}}})"), options);
    FAIL() << "two sources of one option must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("providers.psa.resilience.pacing.daily_quota"));
  }
}

}  // namespace
}  // namespace cardsync::cache
