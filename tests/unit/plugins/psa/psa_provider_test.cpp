// PsaProvider, linked statically, driven the way the host drives it with recorded PSA
// responses: the requests it asks for, the records it maps, the cursors it leaves.
#include <gmock/gmock.h>

#include <rapidjson/document.h>

#include "cert_number.hpp"
#include "psa_cursor.hpp"
#include "psa_provider.hpp"
#include "psa_records.hpp"
#include "psa_test_inputs.hpp"
#include "support/recording_emitter.hpp"

namespace cardsync::psa {
namespace {

using cardsync::test::RecordingEmitter;
using test::fixture;
using test::job;
using test::response;
using ::testing::HasSubstr;

constexpr const char* kBase = "https://psa.example/publicapi";

PsaProvider provider() {
  Config c;
  c.base_url = kBase;
  c.token = "secret-token-123";
  return PsaProvider(c);
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

// Runs the cert answer, then the images answer, as the host does; returns the second call's
// emissions.
struct TwoSteps {
  RecordingEmitter cert, images;
};
void run_both(PsaProvider& p, const std::string& cert, const std::string& cert_body,
              const std::string& images_body, TwoSteps& out) {
  RecordingEmitter start;
  p.start(job(cert), start.emitter());
  p.handle(job(cert), start.emitted().requests.at(0), response(200, cert_body), out.cert.emitter());
  ASSERT_EQ(out.cert.emitted().cursors.size(), 1U);
  ASSERT_EQ(out.cert.emitted().requests.size(), 1U);
  const std::string checkpoint = out.cert.emitted().cursors.front();
  p.handle(job(cert, checkpoint), out.cert.emitted().requests.front(), response(200, images_body),
           out.images.emitter());
}

TEST(PsaProvider, StartAsksForTheCertWithTheBearerToken) {
  auto p = provider();
  RecordingEmitter c;
  p.start(job("00012345"), c.emitter());
  ASSERT_EQ(c.emitted().requests.size(), 1U);
  const auto& r = c.emitted().requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url, std::string(kBase) + "/cert/GetByCertNumber/00012345");
  EXPECT_THAT(r.headers, ::testing::Contains(std::pair<std::string, std::string>(
                             "Authorization", "bearer secret-token-123")));
  EXPECT_THAT(r.headers, ::testing::Contains(
                             std::pair<std::string, std::string>("Accept", "application/json")));
}

TEST(PsaProvider, AFoundCertBecomesOneGradedCertAndImagesSidedByIsFrontImage) {
  auto p = provider();
  TwoSteps s;
  run_both(p, "00012345", fixture("cert_found.json"), fixture("images_back_first.json"), s);
  // Nothing is stored until the images are known: the cert and its images commit together.
  EXPECT_TRUE(s.cert.emitted().records.empty());
  EXPECT_EQ(s.cert.emitted().requests[0].url,
            std::string(kBase) + "/cert/GetImagesByCertNumber/00012345");

  const auto& recs = s.images.emitted().records;
  ASSERT_EQ(recs.size(), 3U);
  EXPECT_EQ(recs[0].kind, CS_RECORD_GRADED_CERT);
  EXPECT_EQ(recs[0].key, "00012345");
  EXPECT_EQ(recs[0].raw, fixture("cert_found.json"));
  auto core = parse(recs[0].core);
  EXPECT_STREQ(core["grade"].GetString(), "GEM MT 10");
  EXPECT_EQ(core["grade_value"].GetDouble(), 10.0);
  EXPECT_STREQ(core["subject"].GetString(), "CHARIZARD-HOLO");
  EXPECT_STREQ(core["year"].GetString(), "1999");
  EXPECT_STREQ(core["brand"].GetString(), "POKEMON GAME");
  EXPECT_STREQ(core["category"].GetString(), "TCG Cards");
  EXPECT_STREQ(core["card_number"].GetString(), "4");
  EXPECT_STREQ(core["variety"].GetString(), "");
  EXPECT_EQ(core["spec_id"].GetInt64(), 544027);
  EXPECT_EQ(core["population"].GetInt64(), 121);
  EXPECT_EQ(core["population_higher"].GetInt64(), 0);
  EXPECT_FALSE(core["not_found"].GetBool());
  EXPECT_EQ(core["image_count"].GetInt(), 2);

  // The back came first in the array; the sides come from IsFrontImage.
  EXPECT_EQ(recs[1].kind, CS_RECORD_CERT_IMAGE);
  EXPECT_EQ(recs[1].key, "00012345/back");
  EXPECT_EQ(recs[1].parent, "00012345");
  EXPECT_THAT(recs[1].core, HasSubstr(R"("side":"back")"));
  EXPECT_THAT(recs[1].core, HasSubstr("/back.jpg"));
  EXPECT_EQ(recs[2].key, "00012345/front");
  EXPECT_THAT(recs[2].core, HasSubstr("/front.jpg"));
  EXPECT_EQ(s.images.emitted().cursors, std::vector<std::string>{"found"});
  EXPECT_TRUE(s.images.emitted().requests.empty());  // done
}

TEST(PsaProvider, AnEmptyImageListIsStoredAsNoImages) {
  auto p = provider();
  TwoSteps s;
  run_both(p, "00012345", fixture("cert_found.json"), fixture("images_empty.json"), s);
  ASSERT_EQ(s.images.emitted().records.size(), 1U);
  EXPECT_EQ(parse(s.images.emitted().records[0].core)["image_count"].GetInt(), 0);
  EXPECT_EQ(s.images.emitted().cursors, std::vector<std::string>{"found"});
}

TEST(PsaProvider, BadImageItemsAreRejectedAndTheRestKept) {
  auto p = provider();
  TwoSteps s;
  run_both(p, "00012345", fixture("cert_found.json"), fixture("images_bad_items.json"), s);
  const auto& out = s.images.emitted();
  ASSERT_EQ(out.records.size(), 2U);  // the cert and the first front image
  EXPECT_EQ(out.records[1].key, "00012345/front");
  EXPECT_THAT(out.records[1].core, HasSubstr("front.jpg"));
  ASSERT_EQ(out.rejects.size(), 2U);
  EXPECT_EQ(out.rejects[0].path, "/1/ImageURL");
  EXPECT_THAT(out.rejects[0].raw, HasSubstr(R"("IsFrontImage":false)"));
  EXPECT_THAT(out.rejects[1].reason, HasSubstr("duplicate"));
  EXPECT_EQ(parse(out.records[0].core)["image_count"].GetInt(), 1);
}

TEST(PsaProvider, NoDataFoundCompletesWithTheNotFoundCursorAndNoRecord) {
  auto p = provider();
  for (const char* body : {"cert_no_data.json", "cert_null.json"}) {
    RecordingEmitter start, c;
    p.start(job("10000000"), start.emitter());
    p.handle(job("10000000"), start.emitted().requests[0], response(200, fixture(body)),
             c.emitter());
    EXPECT_TRUE(c.emitted().records.empty()) << body;
    EXPECT_TRUE(c.emitted().requests.empty()) << body;  // no call spent on images
    EXPECT_EQ(c.emitted().cursors, std::vector<std::string>{"not_found"}) << body;
  }
}

TEST(PsaProvider, OddButReadableFieldsAreMappedAndUnknownOnesKeptInRaw) {
  auto p = provider();
  TwoSteps s;
  run_both(p, "87654321", fixture("cert_odd_types.json"), fixture("images_empty.json"), s);
  ASSERT_FALSE(s.images.emitted().records.empty());
  auto core = parse(s.images.emitted().records[0].core);
  EXPECT_STREQ(core["year"].GetString(), "2001");
  EXPECT_EQ(core["spec_id"].GetInt64(), 1234);
  EXPECT_EQ(core["population"].GetInt64(), 12);
  EXPECT_TRUE(core["population_higher"].IsNull());
  EXPECT_TRUE(core["card_number"].IsNull());
  EXPECT_STREQ(core["grade"].GetString(), "AUTHENTIC");
  EXPECT_TRUE(core["grade_value"].IsNull());
  EXPECT_THAT(s.images.emitted().records[0].raw, HasSubstr("Unknown"));
}

TEST(PsaProvider, ACertOfTheWrongShapeFailsTheJob) {
  auto p = provider();
  RecordingEmitter start, c;
  p.start(job("87654321"), start.emitter());
  try {
    p.handle(job("87654321"), start.emitted().requests[0],
             response(200, fixture("cert_bad_shape.json")), c.emitter());
    FAIL() << "expected a Permanent error";
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), CS_PERMANENT);
    EXPECT_THAT(e.what(), HasSubstr("/PSACert/Subject"));
  }
}

TEST(PsaProvider, AResumedJobAsksOnlyForTheImages) {
  auto p = provider();
  const std::string checkpoint = PendingImages{fixture("cert_found.json")}.to_json();
  RecordingEmitter c;
  p.start(job("00012345", checkpoint), c.emitter());
  ASSERT_EQ(c.emitted().requests.size(), 1U);
  EXPECT_THAT(c.emitted().requests[0].url, HasSubstr("/cert/GetImagesByCertNumber/00012345"));
  // The last job's final cursor is not a checkpoint: a refresh fetches the cert again.
  for (const char* final_cursor : {"found", "not_found", "invalid"}) {
    RecordingEmitter again;
    p.start(job("00012345", final_cursor), again.emitter());
    EXPECT_THAT(again.emitted().requests.at(0).url, HasSubstr("/cert/GetByCertNumber/"));
  }
}

TEST(PsaProvider, AJobKeyThatIsNotACertNumberIsRefusedWithoutARequest) {
  auto p = provider();
  for (const char* key : {"12-34", "", "abc", "1234567890123"}) {
    RecordingEmitter c;
    try {
      p.start(job(key), c.emitter());
      FAIL() << key;
    } catch (const sdk::Error& e) {
      EXPECT_EQ(e.status(), CS_PERMANENT) << key;
      EXPECT_THAT(e.what(), HasSubstr("not a cert number")) << key;
    }
    EXPECT_TRUE(c.emitted().requests.empty());
  }
}

TEST(PsaProvider, PlanMakesOneJobPerNormalisedCert) {
  auto p = provider();
  RecordingEmitter c;
  p.plan(R"({"certs": ["0001 2345", "#9876-5432"]})", c.emitter());
  ASSERT_EQ(c.emitted().jobs.size(), 2U);
  EXPECT_EQ(c.emitted().jobs[0].type, "psa.cert");
  EXPECT_EQ(c.emitted().jobs[0].key, "00012345");
  EXPECT_EQ(c.emitted().jobs[1].key, "98765432");
  RecordingEmitter bad;
  EXPECT_THROW(p.plan(R"({"certs": ["abc"]})", bad.emitter()), sdk::Permanent);
}

// A section kept for lookups (config/cardsync.example.json) must not fail `cardsync run`.
TEST(PsaProvider, PlanWithoutASpecPlansNothing) {
  auto p = provider();
  for (const char* spec : {"", "  \n"}) {
    RecordingEmitter c;
    p.plan(spec, c.emitter());
    EXPECT_TRUE(c.emitted().jobs.empty()) << '"' << spec << '"';
  }
}

TEST(PsaConfig, AMissingTokenIsFatalAndNamesTheKey) {
  rapidjson::Document doc;
  doc.Parse(R"({"base_url": "https://x.example/publicapi/"})");
  try {
    (void)Config::from_json(doc);
    FAIL();
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), CS_FATAL);
    EXPECT_THAT(e.what(), HasSubstr("providers.psa.token"));
  }
  doc.Parse(R"({"base_url": "https://x.example/publicapi/", "token": "t", "ttl_seconds": 5})");
  EXPECT_EQ(Config::from_json(doc).base_url, "https://x.example/publicapi");
}

TEST(CertNumber, DigitsOnlyLeadingZerosKeptAndLengthChecked) {
  EXPECT_EQ(normalise_cert_number(" 0001-2345 ").digits, "00012345");
  EXPECT_EQ(normalise_cert_number("#12 34").digits, "1234");
  EXPECT_FALSE(normalise_cert_number("abc").digits);
  EXPECT_FALSE(normalise_cert_number("").digits);
  EXPECT_EQ(normalise_cert_number("123456789012").digits, "123456789012");
  auto long_one = normalise_cert_number("1234567890123");
  EXPECT_FALSE(long_one.digits);
  EXPECT_THAT(long_one.problem, HasSubstr("13"));
}

TEST(PsaRecords, GradeValueIsTheLastToken) {
  EXPECT_EQ(grade_value("GEM MT 10"), 10.0);
  EXPECT_EQ(grade_value("NM-MT 8.5"), 8.5);
  EXPECT_EQ(grade_value("MINT 9 "), 9.0);
  EXPECT_FALSE(grade_value("AUTHENTIC"));
  EXPECT_FALSE(grade_value(""));
}

}  // namespace
}  // namespace cardsync::psa
