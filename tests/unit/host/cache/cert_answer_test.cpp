#include <gmock/gmock.h>

#include <rapidjson/document.h>

#include "cache/cert_answer.hpp"

namespace cardsync::cache {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

TEST(CertAnswer, StaleAnswerCarriesTheDataImagesAgeAndRefreshJob) {
  CertAnswer a;
  a.status = CertStatus::stale;
  a.cert = "00012345";
  a.cert_json = R"({"grade":"GEM MT 10","grade_value":10,"image_count":2})";
  a.images = {{"front", "https://x/front.jpg"}, {"back", "https://x/back.jpg"}};
  a.age = std::chrono::hours(24 * 8);
  a.fetched_at = Clock::WallTime{} + std::chrono::seconds(86400);
  a.job_id = 12;
  auto doc = parse(a.to_json());
  EXPECT_STREQ(doc["cert"].GetString(), "00012345");
  EXPECT_STREQ(doc["status"].GetString(), "stale");
  EXPECT_STREQ(doc["data"]["grade"].GetString(), "GEM MT 10");
  EXPECT_EQ(doc["data"]["images"].Size(), 2U);
  EXPECT_STREQ(doc["data"]["images"][0]["side"].GetString(), "front");
  EXPECT_FALSE(doc["data"]["no_images"].GetBool());
  EXPECT_EQ(doc["age_seconds"].GetInt64(), 8 * 86400);
  EXPECT_STREQ(doc["fetched_at"].GetString(), "1970-01-02T00:00:00Z");
  EXPECT_EQ(doc["job_id"].GetInt64(), 12);
  EXPECT_FALSE(doc.HasMember("message"));
  EXPECT_FALSE(doc.HasMember("retry_at"));
}

TEST(CertAnswer, QueuedAnswerSaysWhenToAskAgainAndHasNoData) {
  CertAnswer a;
  a.status = CertStatus::queued;
  a.cert = "1";
  a.message = "not available yet, queued as job #3: quota";
  a.job_id = 3;
  a.retry_at = Clock::WallTime{} + std::chrono::hours(48);
  auto doc = parse(a.to_json());
  EXPECT_STREQ(doc["status"].GetString(), "queued");
  EXPECT_STREQ(doc["retry_at"].GetString(), "1970-01-03T00:00:00Z");
  EXPECT_FALSE(doc.HasMember("data"));
  EXPECT_THAT(doc["message"].GetString(), ::testing::HasSubstr("#3"));
}

TEST(CertAnswer, HttpStatusForTheAdminApi) {
  CertAnswer a;
  a.status = CertStatus::stale;
  EXPECT_EQ(a.http_status(), 200U);
  a.status = CertStatus::queued;
  EXPECT_EQ(a.http_status(), 202U);
  a.status = CertStatus::not_found;
  EXPECT_EQ(a.http_status(), 404U);
  a.status = CertStatus::invalid;
  EXPECT_EQ(a.http_status(), 400U);
  a.status = CertStatus::unavailable;
  EXPECT_EQ(a.http_status(), 503U);
}

TEST(CertAnswer, StatusNames) {
  EXPECT_EQ(to_string(CertStatus::fresh), "fresh");
  EXPECT_EQ(to_string(CertStatus::not_found), "not_found");
  EXPECT_EQ(to_string(CertStatus::unavailable), "unavailable");
}

}  // namespace
}  // namespace cardsync::cache
