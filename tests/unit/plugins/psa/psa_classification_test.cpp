// How the provider classifies what PSA answers (docs/upstream-apis.md, "PSA public API"): the
// status the host acts on and a message that tells an operator what to change, never the
// token.
#include <gmock/gmock.h>

#include "psa_cursor.hpp"
#include "psa_provider.hpp"
#include "psa_test_inputs.hpp"
#include "support/recording_emitter.hpp"

namespace cardsync::psa {
namespace {

using cardsync::test::RecordingEmitter;
using test::fixture;
using test::job;
using test::response;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kToken = "secret-token-123";

struct Outcome {
  cs_status status = CS_OK;
  std::string message;
  RecordingEmitter capture;
};

void classify(int status, const std::string& body, bool images, Outcome& out) {
  Config c;
  c.base_url = "https://psa.example/publicapi";
  c.token = kToken;
  PsaProvider p(c);
  sdk::Request request;
  request.url =
      c.base_url + (images ? "/cert/GetImagesByCertNumber/123" : "/cert/GetByCertNumber/123");
  const std::string checkpoint = PendingImages{fixture("cert_found.json")}.to_json();
  try {
    p.handle(job("123", images ? std::string_view(checkpoint) : std::string_view()), request,
             response(status, body), out.capture.emitter());
  } catch (const sdk::Error& e) {
    out.status = e.status();
    out.message = e.what();
  }
}

TEST(PsaClassification, A500ThatReachesTheProviderMeansABadToken) {
  Outcome o;
  classify(500, fixture("error_500.json"), false, o);
  EXPECT_EQ(o.status, CS_FATAL);
  EXPECT_THAT(o.message, HasSubstr("providers.psa.token"));
  EXPECT_THAT(o.message, HasSubstr("HTTP 500"));
  EXPECT_THAT(o.message, Not(HasSubstr(kToken)));
}

TEST(PsaClassification, RefusedTokenIsFatal) {
  for (int status : {401, 403}) {
    Outcome o;
    classify(status, std::string(R"({"Message":"bad token )") + kToken + "\"}", false, o);
    EXPECT_EQ(o.status, CS_FATAL) << status;
    EXPECT_THAT(o.message, Not(HasSubstr(kToken)));
    EXPECT_THAT(o.message, HasSubstr("[redacted]"));
  }
}

TEST(PsaClassification, QuotaAndServerTroubleAreRetried) {
  for (int status : {429, 408, 502, 503, 504}) {
    Outcome o;
    classify(status, "{}", false, o);
    EXPECT_EQ(o.status, CS_RETRY) << status;
  }
  Outcome quota;
  classify(429, R"({"Message":"API calls quota exceeded! maximum admitted 100 per Day."})", false,
           quota);
  EXPECT_THAT(quota.message, HasSubstr("quota"));
  EXPECT_THAT(quota.message, HasSubstr("00:00 UTC"));
}

// The host learns from the provider, not from its own guess, that this 429 spends the day:
// it is told 0 calls remain today, so it sends nothing more until 00:00 UTC.
TEST(PsaClassification, A429ReportsTheDaysQuotaSpentOnBothEndpoints) {
  for (bool images : {false, true}) {
    Outcome o;
    classify(429, R"({"Message":"API calls quota exceeded! maximum admitted 100 per Day."})",
             images, o);
    EXPECT_EQ(o.status, CS_RETRY) << images;
    ASSERT_EQ(o.capture.emitted().rate_limits.size(), 1U) << images;
    EXPECT_EQ(o.capture.emitted().rate_limits[0].remaining_today, 0) << images;
    EXPECT_EQ(o.capture.emitted().rate_limits[0].per_minute, -1) << images;  // not known
    EXPECT_TRUE(o.capture.emitted().records.empty());
  }
  // Throttling of another kind says nothing about the quota.
  for (int status : {200, 503}) {
    Outcome o;
    classify(status, status == 200 ? fixture("cert_found.json") : "{}", false, o);
    EXPECT_TRUE(o.capture.emitted().rate_limits.empty()) << status;
  }
}

// Remembered like a not-found: the job completes with the "invalid" cursor (a failed job
// would leave nothing for the host's cache to remember), no record, no further request.
TEST(PsaClassification, ACertNumberPsaCallsInvalidCompletesWithTheInvalidCursor) {
  for (int status : {204, 400, 404}) {
    Outcome o;
    classify(status, status == 204 ? "" : fixture("error_400.json"), false, o);
    EXPECT_EQ(o.status, CS_OK) << status << " " << o.message;
    EXPECT_EQ(o.capture.emitted().cursors, std::vector<std::string>{"invalid"}) << status;
    EXPECT_TRUE(o.capture.emitted().records.empty()) << status;
    EXPECT_TRUE(o.capture.emitted().requests.empty()) << status;  // no call spent on images
  }
  Outcome o;
  classify(200, fixture("cert_invalid_request.json"), false, o);
  EXPECT_EQ(o.status, CS_OK) << o.message;
  EXPECT_EQ(o.capture.emitted().cursors, std::vector<std::string>{"invalid"});
  EXPECT_TRUE(o.capture.emitted().records.empty());
  EXPECT_TRUE(o.capture.emitted().requests.empty());
}

TEST(PsaClassification, OtherRejectionsArePermanent) {
  Outcome other;
  classify(501, "{}", false, other);
  EXPECT_EQ(other.status, CS_PERMANENT);
  // A 400 for the images of a cert PSA has just found is not a fact about the number: it
  // fails the job rather than being remembered.
  Outcome images;
  classify(400, fixture("error_400.json"), true, images);
  EXPECT_EQ(images.status, CS_PERMANENT);
  EXPECT_THAT(images.message, HasSubstr("invalid"));
}

TEST(PsaClassification, ATruncatedBodyIsRetried) {
  Outcome o;
  const std::string body = fixture("cert_found.json");
  classify(200, body.substr(0, body.size() / 2), false, o);
  EXPECT_EQ(o.status, CS_RETRY);
  EXPECT_THAT(o.message, HasSubstr("truncated"));
  Outcome images;
  classify(200, R"([{"IsFrontImage":true,)", true, images);
  EXPECT_EQ(images.status, CS_RETRY);
}

TEST(PsaClassification, ImagesAnswered204Or404MeanNoImages) {
  for (int status : {204, 404}) {
    Outcome o;
    classify(status, "", true, o);
    EXPECT_EQ(o.status, CS_OK) << status;
    ASSERT_EQ(o.capture.emitted().records.size(), 1U);
    EXPECT_THAT(o.capture.emitted().records[0].core, HasSubstr(R"("image_count":0)"));
    EXPECT_EQ(o.capture.emitted().cursors, std::vector<std::string>{"found"});
  }
}

TEST(PsaClassification, ImagesWithoutTheirCheckpointRefetchTheCert) {
  Config c;
  c.token = kToken;
  PsaProvider p(c);
  sdk::Request request;
  request.url = c.base_url + "/cert/GetImagesByCertNumber/123";
  RecordingEmitter capture;
  try {
    p.handle(job("123", "found"), request, response(200, "[]"), capture.emitter());
    FAIL();
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), CS_RETRY);
  }
  EXPECT_TRUE(capture.emitted().records.empty());
}

}  // namespace
}  // namespace cardsync::psa
