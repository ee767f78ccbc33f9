#include "lookup/lookup_answer.hpp"

#include <gmock/gmock.h>

#include <rapidjson/document.h>

namespace cardsync::lookup {
namespace {

using ::testing::HasSubstr;

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

LookupAnswer cert_answer(LookupStatus status) {
  LookupAnswer a;
  a.provider = "psa";
  a.kind = "cert";
  a.key = "00012345";
  a.status = status;
  return a;
}

TEST(LookupAnswer, StaleAnswerCarriesTheDataChildrenAgeAndRefreshJob) {
  LookupAnswer a = cert_answer(LookupStatus::stale);
  a.core_json = R"({"grade":"GEM MT 10","grade_value":10,"image_count":2})";
  a.child_field = "images";
  a.children_json = {R"({"side":"back","url":"https://x/back.jpg"})",
                     R"({"side":"front","url":"https://x/front.jpg"})"};
  a.age = std::chrono::hours(24 * 8);
  a.fetched_at = Clock::WallTime{} + std::chrono::seconds(86400);
  a.job_id = 12;
  auto doc = parse(a.to_json());
  EXPECT_STREQ(doc["provider"].GetString(), "psa");
  EXPECT_STREQ(doc["kind"].GetString(), "cert");
  EXPECT_STREQ(doc["key"].GetString(), "00012345");
  EXPECT_STREQ(doc["status"].GetString(), "stale");
  EXPECT_STREQ(doc["data"]["grade"].GetString(), "GEM MT 10");
  EXPECT_EQ(doc["data"]["grade_value"].GetInt(), 10);
  EXPECT_EQ(doc["data"]["image_count"].GetInt(), 2);
  // The children, under the kind's child_field, in the order given (the cache's key order).
  ASSERT_TRUE(doc["data"]["images"].IsArray());
  ASSERT_EQ(doc["data"]["images"].Size(), 2U);
  EXPECT_STREQ(doc["data"]["images"][0]["side"].GetString(), "back");
  EXPECT_STREQ(doc["data"]["images"][1]["side"].GetString(), "front");
  EXPECT_STREQ(doc["data"]["images"][1]["url"].GetString(), "https://x/front.jpg");
  EXPECT_EQ(doc["age_seconds"].GetInt64(), 8 * 86400);
  EXPECT_STREQ(doc["fetched_at"].GetString(), "1970-01-02T00:00:00Z");
  EXPECT_EQ(doc["job_id"].GetInt64(), 12);
  EXPECT_FALSE(doc["fetched_now"].GetBool());
  EXPECT_FALSE(doc.HasMember("message"));
  EXPECT_FALSE(doc.HasMember("retry_at"));
  // Nothing of the old PSA-only shape.
  EXPECT_FALSE(doc.HasMember("cert"));
  EXPECT_FALSE(doc["data"].HasMember("no_images"));
}

TEST(LookupAnswer, AnItemWithoutChildrenHasAnEmptyArrayNotAMissingOne) {
  LookupAnswer a = cert_answer(LookupStatus::fresh);
  a.core_json = R"({"grade":"MINT 9","image_count":0})";
  a.child_field = "images";
  a.fetched_now = true;
  const std::string json = a.to_json();
  EXPECT_THAT(json, HasSubstr(R"("image_count":0,"images":[])"));
  auto doc = parse(json);
  EXPECT_TRUE(doc["data"]["images"].IsArray());
  EXPECT_EQ(doc["data"]["images"].Size(), 0U);
  EXPECT_TRUE(doc["fetched_now"].GetBool());
}

TEST(LookupAnswer, AKindWithoutChildrenAnswersTheCoreFieldsOnly) {
  LookupAnswer a;
  a.provider = "shelf";
  a.kind = "card";
  a.key = "42";
  a.status = LookupStatus::fresh;
  a.core_json = R"({"number":"42","tags":["a","b"],"price":{"usd":1.5}})";
  auto doc = parse(a.to_json());
  ASSERT_TRUE(doc["data"].IsObject());
  EXPECT_EQ(doc["data"].MemberCount(), 3U);
  EXPECT_STREQ(doc["data"]["number"].GetString(), "42");
  EXPECT_EQ(doc["data"]["tags"].Size(), 2U);  // nested values are copied as they are
  EXPECT_EQ(doc["data"]["price"]["usd"].GetDouble(), 1.5);
}

TEST(LookupAnswer, ADamagedStoredRowDoesNotBreakTheAnswer) {
  LookupAnswer a = cert_answer(LookupStatus::fresh);
  a.core_json = "{not json";
  a.child_field = "images";
  a.children_json = {"[1,2]", R"({"side":"front"})"};
  auto doc = parse(a.to_json());
  EXPECT_TRUE(doc["data"].IsObject());
  EXPECT_FALSE(doc["data"].HasMember("grade"));
  ASSERT_EQ(doc["data"]["images"].Size(), 2U);
  EXPECT_EQ(doc["data"]["images"][0].MemberCount(), 0U);
  EXPECT_STREQ(doc["data"]["images"][1]["side"].GetString(), "front");
}

TEST(LookupAnswer, QueuedAnswerSaysWhenToAskAgainAndHasNoData) {
  LookupAnswer a = cert_answer(LookupStatus::queued);
  a.key = "1";
  a.message = "not available yet, queued as job #3: quota";
  a.job_id = 3;
  a.retry_at = Clock::WallTime{} + std::chrono::hours(48);
  auto doc = parse(a.to_json());
  EXPECT_STREQ(doc["status"].GetString(), "queued");
  EXPECT_STREQ(doc["retry_at"].GetString(), "1970-01-03T00:00:00Z");
  EXPECT_EQ(doc["job_id"].GetInt64(), 3);
  EXPECT_FALSE(doc.HasMember("data"));
  EXPECT_FALSE(doc.HasMember("age_seconds"));
  EXPECT_FALSE(doc.HasMember("fetched_at"));
  EXPECT_THAT(doc["message"].GetString(), HasSubstr("#3"));
}

TEST(LookupAnswer, AnInputThatIsNoKeyIsAnsweredWithAnEmptyKeyAndTheReason) {
  LookupAnswer a;
  a.provider = "psa";
  a.kind = "cert";
  a.status = LookupStatus::invalid;
  a.message = "a PSA cert number needs at least one digit";
  auto doc = parse(a.to_json());
  EXPECT_STREQ(doc["key"].GetString(), "");
  EXPECT_STREQ(doc["status"].GetString(), "invalid");
  EXPECT_STREQ(doc["message"].GetString(), "a PSA cert number needs at least one digit");
  EXPECT_FALSE(doc.HasMember("data"));
  EXPECT_FALSE(doc.HasMember("job_id"));
}

TEST(LookupAnswer, TextIsEscapedInTheJson) {
  LookupAnswer a = cert_answer(LookupStatus::unavailable);
  a.message = "PSA said \"no\"\n";
  auto doc = parse(a.to_json());
  EXPECT_STREQ(doc["message"].GetString(), "PSA said \"no\"\n");
}

TEST(LookupAnswer, HttpStatusForTheAdminApi) {
  LookupAnswer a;
  a.status = LookupStatus::fresh;
  EXPECT_EQ(a.http_status(), 200U);
  a.status = LookupStatus::stale;
  EXPECT_EQ(a.http_status(), 200U);
  a.status = LookupStatus::queued;
  EXPECT_EQ(a.http_status(), 202U);
  a.status = LookupStatus::not_found;
  EXPECT_EQ(a.http_status(), 404U);
  a.status = LookupStatus::invalid;
  EXPECT_EQ(a.http_status(), 400U);
  a.status = LookupStatus::unavailable;
  EXPECT_EQ(a.http_status(), 503U);
}

TEST(LookupAnswer, StatusNames) {
  EXPECT_EQ(to_string(LookupStatus::fresh), "fresh");
  EXPECT_EQ(to_string(LookupStatus::stale), "stale");
  EXPECT_EQ(to_string(LookupStatus::not_found), "not_found");
  EXPECT_EQ(to_string(LookupStatus::queued), "queued");
  EXPECT_EQ(to_string(LookupStatus::invalid), "invalid");
  EXPECT_EQ(to_string(LookupStatus::unavailable), "unavailable");
}

}  // namespace
}  // namespace cardsync::lookup
