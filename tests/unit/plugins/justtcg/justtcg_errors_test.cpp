// How the provider classifies what JustTCG answers: every documented error code, broken
// bodies, and the same verdicts seen through the C ABI the host calls.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>

#include "justtcg_provider.hpp"
#include "justtcg_test_inputs.hpp"
#include "support/recording_emitter.hpp"

namespace cardsync::justtcg {
namespace {

using cardsync::test::RateLimit;
using cardsync::test::RecordingEmitter;
using test::fixture;
using test::job;
using test::response;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kKey = "tcg_live_6f0c1d2e3a4b5c6d";

JustTcgProvider make_provider() {
  rapidjson::Document d;
  d.Parse((std::string(R"({"api_key":")") + kKey + R"(","plan":"free"})").c_str());
  return JustTcgProvider(d);
}

sdk::Request cards_request() {
  sdk::Request r;
  r.url = "https://api.justtcg.com/v1/cards?game=pokemon&set=base-set-pokemon&limit=20&offset=0";
  return r;
}

enum class Verdict { retry, permanent, fatal };

struct ErrorCase {
  std::string name;
  int status;
  std::string body;  // a fixture name, or literal text when it starts with '!'
  Verdict verdict;
  std::vector<std::string> says;
};

std::string body_of(const std::string& spec) {
  return spec.rfind('!', 0) == 0 ? spec.substr(1) : fixture(spec);
}

class JustTcgErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(JustTcgErrors, ClassifiesTheResponse) {
  const ErrorCase& t = GetParam();
  auto p = make_provider();
  RecordingEmitter out;
  const std::string body = body_of(t.body);
  try {
    p.handle(job("justtcg.cards", "base-set-pokemon", R"({"game":"pokemon"})"), cards_request(),
             response(t.status, body), out.emitter());
    FAIL() << "no error for " << t.name;
  } catch (const sdk::Error& e) {
    const cs_status expected = t.verdict == Verdict::retry       ? CS_RETRY
                               : t.verdict == Verdict::permanent ? CS_PERMANENT
                                                                 : CS_FATAL;
    EXPECT_EQ(e.status(), expected) << e.what();
    for (const auto& s : t.says) EXPECT_THAT(e.what(), HasSubstr(s));
    EXPECT_THAT(e.what(), Not(HasSubstr(kKey)));
  }
  EXPECT_TRUE(out.emitted().records.empty());
  EXPECT_TRUE(out.emitted().requests.empty());
  EXPECT_TRUE(out.emitted().cursors.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Codes, JustTcgErrors,
    ::testing::Values(
        ErrorCase{"InvalidKey",
                  401,
                  "error_401_invalid.json",
                  Verdict::fatal,
                  {"JustTCG rejected the API key (INVALID_API_KEY): check "
                   "providers.justtcg.api_key"}},
        ErrorCase{"MissingKey",
                  401,
                  "error_401_missing.json",
                  Verdict::fatal,
                  {"JustTCG rejected the API key (MISSING_API_KEY): check "
                   "providers.justtcg.api_key"}},
        ErrorCase{"UnauthorizedWithoutJson",
                  401,
                  "!Unauthorized",
                  Verdict::fatal,
                  {"(HTTP 401)", "providers.justtcg.api_key"}},
        ErrorCase{"KeyCodeInsideA200",
                  200,
                  "!{\"data\":[],\"error\":\"bad key\",\"code\":\"INVALID_API_KEY\"}",
                  Verdict::fatal,
                  {"INVALID_API_KEY"}},
        ErrorCase{"PlanLimit",
                  403,
                  "error_403_plan.json",
                  Verdict::fatal,
                  {"HTTP 403 PLAN_LIMIT_EXCEEDED", "providers.justtcg.plan is \"free\"",
                   "pages and batches of 20", "providers.justtcg.page_size"}},
        ErrorCase{"NotFound",
                  404,
                  "error_404.json",
                  Verdict::permanent,
                  {"HTTP 404 NOT_FOUND: Game not found: pokemno", "GET /cards?game=pokemon"}},
        ErrorCase{
            "BadRequest", 400, "error_400.json", Verdict::permanent, {"HTTP 400 INVALID_REQUEST"}},
        ErrorCase{"RateLimit",
                  429,
                  "error_429_rate.json",
                  Verdict::retry,
                  {"per-minute rate limit", "RATE_LIMIT_EXCEEDED"}},
        ErrorCase{"DailyLimit",
                  429,
                  "error_429_daily.json",
                  Verdict::retry,
                  {"daily request quota", "DAILY_LIMIT_EXCEEDED"}},
        ErrorCase{"MonthlyLimit",
                  429,
                  "error_429_monthly.json",
                  Verdict::retry,
                  {"monthly request quota", "REQUEST_LIMIT_EXCEEDED"}},
        ErrorCase{"ThrottledWithoutCode", 429, "!Too Many Requests", Verdict::retry, {"HTTP 429"}},
        ErrorCase{"ServerError", 500, "error_500.json", Verdict::retry, {"HTTP 500"}},
        ErrorCase{
            "GatewayHtml", 503, "!<html>Service Unavailable</html>", Verdict::retry, {"HTTP 503"}},
        ErrorCase{"Timeout", 408, "!", Verdict::retry, {"HTTP 408"}},
        ErrorCase{"NotImplemented", 501, "!", Verdict::permanent, {"HTTP 501"}},
        ErrorCase{"ValidationErrorInA200",
                  200,
                  "error_200_validation.json",
                  Verdict::permanent,
                  {"VALIDATION_ERROR", "Invalid orderBy"}},
        ErrorCase{"TruncatedBody",
                  200,
                  "truncated_cards.json",
                  Verdict::retry,
                  {"truncated or malformed body", "700 bytes"}},
        ErrorCase{"EmptyBody", 200, "!", Verdict::retry, {"truncated or malformed body"}},
        ErrorCase{"NoDataArray",
                  200,
                  "!{\"meta\":{\"hasMore\":false}}",
                  Verdict::retry,
                  {"no \"data\" array"}},
        ErrorCase{"DataNotAnArray", 200, "!{\"data\":{}}", Verdict::retry, {"no \"data\" array"}},
        // An upstream message that quotes the key must not carry it into logs.
        ErrorCase{"UpstreamEchoesTheKey",
                  400,
                  std::string("!{\"error\":\"bad key tcg_live_6f0c1d2e3a4b5c6d\",\"code\":"
                              "\"INVALID_REQUEST\"}"),
                  Verdict::permanent,
                  {"bad key [redacted]"}}),
    [](const auto& info) { return info.param.name; });

TEST(JustTcgErrorsMetadata, ValidationErrorStillReportsLimits) {
  auto p = make_provider();
  RecordingEmitter out;
  EXPECT_THROW(p.handle(job("justtcg.cards", "s"), cards_request(),
                        response(200, fixture("error_200_validation.json")), out.emitter()),
               sdk::Permanent);
  ASSERT_EQ(out.emitted().rate_limits.size(), 1U);
  EXPECT_EQ(out.emitted().rate_limits[0], (RateLimit{10, 77}));
}

TEST(JustTcgErrorsMetadata, MissingValuesAreReportedAsUnknown) {
  auto p = make_provider();
  RecordingEmitter out;
  p.handle(job("justtcg.games", "all"), cards_request(),
           response(200, R"({"data":[],"_metadata":{"apiPlan":"Free","apiRateLimit":50}})"),
           out.emitter());
  ASSERT_EQ(out.emitted().rate_limits.size(), 1U);
  EXPECT_EQ(out.emitted().rate_limits[0], (RateLimit{50, -1}));
}

// ---- the same verdicts through the C ABI ----------------------------------------------------

struct ErrorSlot {
  std::string message;
};

class JustTcgThroughAbi : public ::testing::Test {
 protected:
  // The SDK keeps the host pointer for the library's lifetime, so it must outlive this test.
  static const cs_host_api* host() {
    static const cs_host_api h{sizeof(cs_host_api),
                               CS_ABI_MAJOR,
                               CS_ABI_MINOR,
                               nullptr,
                               [](void*, cs_log_level, cs_str, cs_str, const cs_field*, size_t) {},
                               [](cs_error* err, cs_str message) {
                                 reinterpret_cast<ErrorSlot*>(err)->message =
                                     std::string(sdk::view(message));
                               }};
    return &h;
  }

  void SetUp() override {
    d_ = sdk::descriptor<JustTcgProvider>();
    ASSERT_EQ(d_->init(host(), err()), CS_OK);
    v_ = static_cast<const cs_provider_vtable*>(d_->vtable);
  }
  void TearDown() override {
    if (instance_ != nullptr) d_->destroy(instance_);
  }
  cs_error* err() { return reinterpret_cast<cs_error*>(&slot_); }

  cs_status create(const std::string& config) {
    return d_->create(sdk::str(config), &instance_, err());
  }

  cs_status handle(int status, const std::string& body, RecordingEmitter& out) {
    const std::string type = "justtcg.sets";
    const std::string key = "pokemon";
    cs_job j{sizeof(cs_job), 7, sdk::str(type), sdk::str(key), {}, {}, sdk::str("rid"), 1};
    const std::string url = "https://api.justtcg.com/v1/sets?game=pokemon&limit=20&offset=0";
    cs_request req{sizeof(cs_request), sdk::str("GET"), sdk::str(url), nullptr, 0, {}};
    cs_response res{sizeof(cs_response), status, nullptr, 0, sdk::str(body)};
    return v_->handle(instance_, &j, &req, &res, out.c_api(), out.c_emit(), err());
  }

  ErrorSlot slot_;
  const cs_plugin_descriptor* d_ = nullptr;
  const cs_provider_vtable* v_ = nullptr;
  void* instance_ = nullptr;
};

TEST_F(JustTcgThroughAbi, StatusesReachTheHostWithoutTheKey) {
  ASSERT_EQ(create(std::string(R"({"api_key":")") + kKey + R"(","resilience":{"x":1}})"), CS_OK)
      << slot_.message;
  RecordingEmitter a;
  EXPECT_EQ(handle(401, fixture("error_401_invalid.json"), a), CS_FATAL);
  EXPECT_EQ(slot_.message,
            "JustTCG rejected the API key (INVALID_API_KEY): check providers.justtcg.api_key");
  RecordingEmitter b;
  EXPECT_EQ(handle(429, fixture("error_429_rate.json"), b), CS_RETRY);
  RecordingEmitter c;
  EXPECT_EQ(handle(404, fixture("error_404.json"), c), CS_PERMANENT);
  RecordingEmitter d;
  EXPECT_EQ(handle(200, fixture("sets_last.json"), d), CS_OK);
  EXPECT_EQ(d.emitted().of_kind(CS_RECORD_SET).size(), 1U);
}

TEST_F(JustTcgThroughAbi, ConfigAbovePlanIsFatalAtCreate) {
  EXPECT_EQ(create(R"({"api_key":"k","plan":"free","page_size":100})"), CS_FATAL);
  EXPECT_THAT(slot_.message, HasSubstr("providers.justtcg.page_size 100 is above the 20"));
  EXPECT_THAT(slot_.message, HasSubstr("providers.justtcg.plan"));
  instance_ = nullptr;
  EXPECT_EQ(create(R"({"plan":"free"})"), CS_FATAL);
  EXPECT_THAT(slot_.message, HasSubstr("providers.justtcg.api_key is not set"));
  instance_ = nullptr;
}

}  // namespace
}  // namespace cardsync::justtcg
