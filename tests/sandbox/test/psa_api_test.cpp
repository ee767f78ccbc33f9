// The emulated PSA API: each case of docs/upstream-apis.md one cert number away, PSA's token
// and quota behaviour, the shared fault flags, request counting and the PSA truth.
#include <gmock/gmock.h>

#include "sandbox/psa_certs.hpp"
#include "sandbox_fixture.hpp"

namespace cardsync::sandbox::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kCertRoute = "GET /publicapi/cert/GetByCertNumber/{cert}";

class PsaApiTest : public SandboxTest {
 protected:
  HttpResult psa(const std::string& path, const std::string& token = "psa_sandbox") {
    return client_->get("/publicapi/cert/" + path, {{"Authorization", "bearer " + token}});
  }
};

TEST_F(PsaApiTest, AFoundCertHasPsaCertAndItsImagesInTheServedOrder) {
  start(small_options());
  auto r = psa("GetByCertNumber/" + std::string(PsaExamples::kLeadingZeros));
  ASSERT_EQ(r.status, 200U) << r.body;
  auto doc = parse_json(r.body);
  EXPECT_STREQ(doc["PSACert"]["CertNumber"].GetString(), "00012345");
  EXPECT_TRUE(doc["PSACert"]["CardGrade"].IsString());
  EXPECT_TRUE(doc["PSACert"]["TotalPopulation"].IsInt64());

  auto back_first =
      parse_json(psa("GetImagesByCertNumber/" + std::string(PsaExamples::kBackFirst)).body);
  ASSERT_EQ(back_first.Size(), 2U);
  EXPECT_FALSE(back_first[0]["IsFrontImage"].GetBool());
  EXPECT_THAT(back_first[0]["ImageURL"].GetString(), HasSubstr("back"));
  auto none = parse_json(psa("GetImagesByCertNumber/" + std::string(PsaExamples::kNoImages)).body);
  EXPECT_EQ(none.Size(), 0U);
}

TEST_F(PsaApiTest, NotFoundIsA200AndBadNumbersAre400Or204) {
  start(small_options());
  auto nf = psa("GetByCertNumber/" + std::string(PsaExamples::kNotFound));
  EXPECT_EQ(nf.status, 200U);
  EXPECT_THAT(nf.body, HasSubstr("No data found"));
  EXPECT_THAT(nf.body, ::testing::Not(HasSubstr("PSACert")));
  auto nul = psa("GetByCertNumber/" + std::string(PsaExamples::kNotFoundNullCert));
  EXPECT_EQ(nul.status, 200U);
  EXPECT_THAT(nul.body, HasSubstr(R"("PSACert":null)"));
  EXPECT_EQ(psa("GetByCertNumber/" + std::string(PsaExamples::kInvalid)).status, 400U);
  EXPECT_EQ(psa("GetByCertNumber/12ab").status, 400U);
  auto empty = psa("GetByCertNumber/" + std::string(PsaExamples::kEmpty));
  EXPECT_EQ(empty.status, 204U);
  EXPECT_TRUE(empty.body.empty());
}

TEST_F(PsaApiTest, AWrongOrMissingTokenIsA500LikePsa) {
  start(small_options());
  auto wrong = psa("GetByCertNumber/10000017", "nope");
  EXPECT_EQ(wrong.status, 500U);
  EXPECT_THAT(wrong.body, HasSubstr("An error has occurred"));
  EXPECT_EQ(client_->get("/publicapi/cert/GetByCertNumber/10000017").status, 500U);
}

TEST_F(PsaApiTest, TheDailyQuotaAnswers429AndResetsAtMidnightUtc) {
  ManualClock clock(false, Clock::WallTime{std::chrono::hours(24 * 20000 + 12)});
  auto options = small_options();
  options.psa.daily_quota = 2;
  start(options, clock);
  EXPECT_EQ(psa("GetByCertNumber/10000017").status, 200U);
  EXPECT_EQ(psa("GetImagesByCertNumber/10000017").status, 200U);
  auto over = psa("GetByCertNumber/10000017");
  EXPECT_EQ(over.status, 429U);
  EXPECT_THAT(over.body, HasSubstr("quota"));
  clock.advance(std::chrono::hours(12));
  EXPECT_EQ(psa("GetByCertNumber/10000017").status, 200U);
}

TEST_F(PsaApiTest, FaultFlagsApplyAndRequestsAreCounted) {
  auto options = small_options();
  options.faults.fail_rate = 1.0;
  start(options);
  auto r = psa("GetByCertNumber/10000017");
  EXPECT_TRUE(r.status == 500U || r.status == 503U) << r.status;
  EXPECT_THAT(r.body, HasSubstr("Message"));  // PSA's error shape, not JustTCG's
  auto stats = control(boost::beast::http::verb::get, "/_sandbox/stats");
  EXPECT_EQ(stats["requests"][kCertRoute][std::to_string(r.status).c_str()].GetUint64(), 1U);
}

TEST_F(PsaApiTest, TruthSaysWhatEachCertMustBecome) {
  start(small_options());
  auto truth = control(boost::beast::http::verb::get,
                       "/_sandbox/truth/psa?certs=10000021,10000000,10000032");
  EXPECT_STREQ(truth["examples"]["back_first"].GetString(), "10000021");
  ASSERT_EQ(truth["certs"].Size(), 3U);
  const auto& found = truth["certs"][0];
  EXPECT_STREQ(found["status"].GetString(), "found");
  EXPECT_STREQ(found["served_order"][0].GetString(), "back");
  auto served = parse_json(psa("GetByCertNumber/10000021").body);
  EXPECT_STREQ(found["grade"].GetString(), served["PSACert"]["CardGrade"].GetString());
  EXPECT_STREQ(truth["certs"][1]["status"].GetString(), "not_found");
  EXPECT_EQ(truth["certs"][2]["images"].MemberCount(), 0U);
}

}  // namespace
}  // namespace cardsync::sandbox::testing
