// RestProvider driven through its C descriptor, as the host drives it, with an inline
// manifest of an invented API: requests, quarantine with the page going on, child jobs,
// checkpoints and resume, the incremental cursor, error classification and lookups.
#include "rest_provider.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conformance/provider_driver.hpp"
#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

using conformance::CallResult;
using conformance::JobInput;
using conformance::ProviderDriver;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

const std::string kWidgets = R"({
  // An invented API: sets as a bare array, cards paged by offset with a has-more flag.
  "name": "Widgets API",
  "base_url": "https://widgets.example/api",
  "config": {
    "token": {"type": "string", "default": "", "description": "Bearer token."},
    "page_size": {"type": "integer", "default": 2, "description": "Cards per page."},
    "sets": {"type": "array", "items": {"type": "string"}, "default": [], "description": "Sets."}
  },
  "headers": {"Accept": "application/json"},
  "auth": {"type": "bearer", "value": "{config.token}"},
  "rate_limit": {"requests_per_second": 5, "remaining": {"header": "X-Remaining"}},
  "errors": [{"status": [404], "action": "empty"}],
  "plan": [{"stream": "sets", "key": "all"}, {"stream": "cards", "for_each": "sets", "key": "{each}"}],
  "streams": [
    {"name": "sets", "request": {"path": "/sets"}, "items": "",
     "item_schema": {"type": "object", "required": ["code", "name"]},
     "records": [{"kind": "set", "key": "{item.code}", "parent": "widgets",
                  "fields": {"name": {"pointer": "/name"}}}],
     "children": [{"stream": "cards", "key": "{item.code}", "payload": {"set_name": "{item.name}"},
                   "if_listed_in": "sets"}]},
    {"name": "cards",
     "request": {"path": "/sets/{job.key}/cards",
                 "query": {"offset": "{page.offset}", "limit": "{page.limit}",
                           "since": "{incremental.since}", "label": "{parent.set_name}"}},
     "paging": {"style": "offset", "size": "{config.page_size}", "stop": {"has_more": "/has_more"}},
     "items": "/cards",
     "item_schema": {"type": "object", "required": ["id", "name"],
                     "properties": {"price": {"type": ["string", "null"]}}},
     "incremental": {"source": "max_seen", "pointer": "/updated"},
     "records": [
       {"kind": "card", "key": "{item.id}", "parent": "{job.key}", "fields": {"name": {"pointer": "/name"}}},
       {"kind": "variant", "key": "{item.id}/nm", "parent": "{item.id}",
        "fields": {"condition": "Near Mint", "currency": "USD",
                   "price_cents": {"pointer": "/price", "transform": "cents"}}}]},
    {"name": "card", "request": {"path": "/cards/{job.key}"}, "items": "/data",
     "errors": [{"status": [400], "action": "invalid"}],
     "records": [{"kind": "card", "key": "{item.id}", "fields": {"name": {"pointer": "/name"}}}]}
  ],
  "lookups": [{"name": "widget", "stream": "card", "record_kind": "card",
               "normalise": {"case": "upper", "pattern": "^W[0-9]+$",
                             "message": "a widget id is W and digits"}}]
})";

class RestProviderTest : public ::testing::Test {
 protected:
  explicit RestProviderTest(const std::string& options = "{}")
      : driver_(rest_descriptor(), test::section(kWidgets, options)) {}

  CallResult page(const JobInput& job, const sdk::Request& request, const std::string& body,
                  int status = 200,
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return driver_.handle(job, request, status, body, headers);
  }

  ProviderDriver driver_;
  const JobInput sets_{1, "rest.sets", "all", "", "", "rid", 1};
  const JobInput cards_{2, "rest.cards", "s1", R"({"set_name":"Set & One"})", "", "rid", 1};
};

TEST_F(RestProviderTest, DescribesItsStreamsAsJobTypesWithTheirItemSchemas) {
  EXPECT_STREQ(driver_.vtable().service, "rest");
  EXPECT_EQ(driver_.vtable().job_types[0], nullptr);
  EXPECT_STREQ(driver_.descriptor().document_key, "manifest");
  const cs_instance_description d = driver_.description();
  std::vector<std::string> types;
  for (const char* const* t = d.job_types; *t != nullptr; ++t) types.emplace_back(*t);
  EXPECT_THAT(types, ElementsAre("rest.sets", "rest.cards", "rest.card"));
  const auto schemas = test::parse_jsonc(d.item_schemas);
  EXPECT_STREQ(schemas["sets"]["required"][0].GetString(), "code");
  EXPECT_TRUE(schemas["card"].IsObject());
  ASSERT_EQ(d.lookup_count, 1U);
  EXPECT_STREQ(d.lookups[0].name, "widget");
  EXPECT_STREQ(d.lookups[0].job_type, "rest.card");
  EXPECT_EQ(d.lookups[0].record_kind, static_cast<uint32_t>(CS_RECORD_CARD));
}

TEST_F(RestProviderTest, PlansTheRootStreamAndOneJobPerListedConfigValue) {
  ProviderDriver listed(rest_descriptor(), test::section(kWidgets, R"({"sets": ["a", "b"]})"));
  const CallResult r = listed.plan("");
  ASSERT_EQ(r.status, CS_OK) << r.error;
  ASSERT_EQ(r.jobs.size(), 3U);
  EXPECT_EQ(r.jobs[0].type, "rest.sets");
  EXPECT_EQ(r.jobs[0].key, "all");
  EXPECT_EQ(r.jobs[1].type, "rest.cards");
  EXPECT_EQ(r.jobs[1].key, "a");
  EXPECT_EQ(r.jobs[2].key, "b");
}

TEST_F(RestProviderTest, BuildsTheFirstRequestFromTemplatesLeavingEmptyValuesOut) {
  const CallResult r = driver_.start(cards_);
  ASSERT_EQ(r.status, CS_OK) << r.error;
  ASSERT_EQ(r.requests.size(), 1U);
  EXPECT_EQ(r.requests[0].url,
            "https://widgets.example/api/sets/s1/cards?offset=0&limit=2&label=Set%20%26%20One");
  EXPECT_THAT(r.requests[0].headers, ElementsAre(Pair("Accept", "application/json")));
  EXPECT_EQ(r.rate_per_minute, 300);

  ProviderDriver keyed(rest_descriptor(), test::section(kWidgets, R"({"token": "t0k"})"));
  const CallResult k = keyed.start(sets_);
  EXPECT_THAT(k.requests.at(0).headers,
              ElementsAre(Pair("Accept", "application/json"), Pair("Authorization", "Bearer t0k")));
}

TEST_F(RestProviderTest, QuarantinesABadItemAndTheRestOfThePageGoesOn) {
  const auto start = driver_.start(cards_);
  const CallResult r = page(cards_, start.requests.at(0), R"({"has_more": true, "cards": [
      {"id": "w1", "name": "One", "price": "1.50", "updated": 10},
      {"id": "w2", "price": "2"},
      {"id": "w3", "name": "Three", "price": null, "updated": 30}]})",
                            200, {{"X-Remaining", "41"}});
  ASSERT_EQ(r.status, CS_OK) << r.error;
  ASSERT_EQ(r.rejects.size(), 1U);
  EXPECT_THAT(r.rejects[0].reason, HasSubstr("required"));
  EXPECT_EQ(r.rejects[0].path, "/name");
  // Items keep the bytes the upstream sent, spacing and digits included.
  EXPECT_EQ(r.rejects[0].raw, R"({"id": "w2", "price": "2"})");
  EXPECT_EQ(r.find(CS_RECORD_CARD, "w1")->raw,
            R"({"id": "w1", "name": "One", "price": "1.50", "updated": 10})");
  ASSERT_EQ(r.of_kind(CS_RECORD_CARD).size(), 2U);
  EXPECT_EQ(r.find(CS_RECORD_CARD, "w3")->parent, "s1");
  EXPECT_THAT(r.find(CS_RECORD_VARIANT, "w1/nm")->core, HasSubstr(R"("price_cents":150)"));
  EXPECT_THAT(r.find(CS_RECORD_VARIANT, "w3/nm")->core, HasSubstr(R"("price_cents":null)"));
  EXPECT_EQ(r.remaining_today, 41);
  // Offsets move by the items received, the rejected one included.
  ASSERT_EQ(r.requests.size(), 1U);
  EXPECT_THAT(r.requests[0].url, HasSubstr("offset=3&limit=2"));
}

TEST_F(RestProviderTest, ResumesFromTheCheckpointAtThePageThatWasNext) {
  const auto start = driver_.start(cards_);
  const CallResult first =
      page(cards_, start.requests.at(0),
           R"({"has_more": true, "cards": [{"id": "w1", "name": "One", "updated": 7},
                                                                {"id": "w2", "name": "Two"}]})");
  ASSERT_TRUE(first.cursor);
  JobInput again = cards_;
  again.cursor = *first.cursor;
  again.attempt = 2;
  const CallResult resumed = driver_.start(again);
  ASSERT_EQ(resumed.requests.size(), 1U);
  EXPECT_EQ(resumed.requests[0].url, first.requests.at(0).url);
  // The last page ends the job with the largest value seen as the next run's `since`.
  const CallResult last =
      page(again, resumed.requests[0],
           R"({"has_more": false, "cards": [{"id": "w3", "name": "Three", "updated": 12}]})");
  ASSERT_EQ(last.status, CS_OK) << last.error;
  EXPECT_TRUE(last.requests.empty());
  EXPECT_EQ(last.cursor, R"({"since":"12"})");

  JobInput next_run = cards_;
  next_run.cursor = *last.cursor;
  EXPECT_THAT(driver_.start(next_run).requests.at(0).url, HasSubstr("since=12"));
}

TEST_F(RestProviderTest, EnqueuesAChildJobPerItemWithItsPayload) {
  const auto start = driver_.start(sets_);
  EXPECT_EQ(start.requests.at(0).url, "https://widgets.example/api/sets");
  const CallResult r =
      page(sets_, start.requests[0],
           R"([{"code": "s1", "name": "One"}, {"code": "s2", "name": "Two"}, {"name": "x"}])");
  ASSERT_EQ(r.status, CS_OK) << r.error;
  ASSERT_EQ(r.jobs.size(), 2U);
  EXPECT_EQ(r.jobs[0].type, "rest.cards");
  EXPECT_EQ(r.jobs[0].key, "s1");
  EXPECT_EQ(r.jobs[0].payload, R"({"set_name":"One"})");
  EXPECT_EQ(r.of_kind(CS_RECORD_SET).size(), 2U);
  EXPECT_EQ(r.rejects.size(), 1U);
  EXPECT_EQ(r.cursor, "{}");

  ProviderDriver only(rest_descriptor(), test::section(kWidgets, R"({"sets": ["s2"]})"));
  const CallResult filtered =
      only.handle(sets_, start.requests[0], 200,
                  R"([{"code": "s1", "name": "One"}, {"code": "s2", "name": "Two"}])");
  ASSERT_EQ(filtered.jobs.size(), 1U);
  EXPECT_EQ(filtered.jobs[0].key, "s2");
}

TEST_F(RestProviderTest, ClassifiesFailuresByStatusRulesAndBody) {
  const auto start = driver_.start(cards_);
  const auto& req = start.requests.at(0);
  EXPECT_EQ(page(cards_, req, R"({"error": "slow down"})", 429).status, CS_RETRY);
  const CallResult denied = page(cards_, req, R"({"error": "bad token"})", 401);
  EXPECT_EQ(denied.status, CS_FATAL);
  EXPECT_THAT(denied.error, HasSubstr("Widgets API answered GET"));
  EXPECT_THAT(denied.error, HasSubstr("bad token"));
  EXPECT_EQ(page(cards_, req, R"({"has_more": true, "cards": [{"id": "w1", "na)").status, CS_RETRY);
  EXPECT_EQ(page(cards_, req, "{}", 400).status, CS_PERMANENT);
  const CallResult gone = page(cards_, req, R"({"error": "no such set"})", 404);
  EXPECT_EQ(gone.status, CS_OK);
  EXPECT_TRUE(gone.records.empty());
  EXPECT_TRUE(gone.requests.empty());
  EXPECT_EQ(gone.cursor, "{}");
}

TEST_F(RestProviderTest, LooksUpOneItemAndRemembersWhatTheUpstreamSaid) {
  EXPECT_EQ(driver_.normalise_key("widget", " w12 "), std::make_pair(CS_OK, std::string("W12")));
  const auto bad = driver_.normalise_key("widget", "12");
  EXPECT_EQ(bad.first, CS_PERMANENT);
  EXPECT_THAT(bad.second, HasSubstr("a widget id is W and digits"));
  EXPECT_EQ(driver_.normalise_key("gadget", "W1").first, CS_PERMANENT);

  const JobInput lookup{3, "rest.card", "W12", "", "", "rid", 1};
  const auto start = driver_.start(lookup);
  EXPECT_EQ(start.requests.at(0).url, "https://widgets.example/api/cards/W12");
  EXPECT_EQ(page(lookup, start.requests[0], R"({"data": {"id": "W12", "name": "Twelve"}})").cursor,
            "found");
  EXPECT_EQ(page(lookup, start.requests[0], R"({"data": {"id": "W13", "name": "13"}})").cursor,
            "found:W13");
  EXPECT_EQ(page(lookup, start.requests[0], R"({"data": []})").cursor, "not_found");
  EXPECT_EQ(page(lookup, start.requests[0], "{}", 404).cursor, "not_found");
  EXPECT_EQ(page(lookup, start.requests[0], "{}", 400).cursor, "invalid");
}

TEST(RestProviderIncremental, SendsTheTimeOfTheLastCompletedSync) {
  const std::string manifest = R"({
    "base_url": "https://x.example", "plan": [{"stream": "changes"}],
    "streams": [{"name": "changes",
      "request": {"path": "/changes", "query": {"after": "{incremental.since}", "p": "{page.number}"}},
      "paging": {"style": "page_number", "stop": {"empty_page": true}},
      "incremental": {"source": "sync_time", "format": "%Y-%m-%dT%H:%M:%SZ"},
      "items": "/data",
      "records": [{"kind": "card", "key": "{item.id}", "fields": {"name": {"pointer": "/name"}}}]}]})";
  ProviderDriver driver(rest_descriptor(), test::section(manifest));
  JobInput job{1, "rest.changes", "all", "", "", "rid", 1};
  const auto start = driver.start(job);
  EXPECT_EQ(start.requests.at(0).url, "https://x.example/changes?p=1");
  // The first page's Date is when this sync began: the next sync asks for what changed since.
  const CallResult first =
      driver.handle(job, start.requests[0], 200, R"({"data": [{"id": "a", "name": "A"}]})",
                    {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"}});
  ASSERT_TRUE(first.cursor);
  job.cursor = *first.cursor;
  const CallResult last = driver.handle(job, first.requests.at(0), 200, R"({"data": []})",
                                        {{"Date", "Sun, 06 Nov 1994 08:59:00 GMT"}});
  EXPECT_EQ(last.cursor, R"({"since":"1994-11-06T08:49:37Z"})");
  JobInput next_run{2, "rest.changes", "all", "", *last.cursor, "rid", 1};
  EXPECT_EQ(driver.start(next_run).requests.at(0).url,
            "https://x.example/changes?after=1994-11-06T08%3A49%3A37Z&p=1");
}

TEST(RestProviderCreate, RefusesOptionsTheManifestDeclaresOtherwise) {
  try {
    ProviderDriver driver(rest_descriptor(), test::section(kWidgets, R"({"page_size": "ten"})"));
    FAIL() << "created";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("option page_size: type: expected integer"));
  }
  EXPECT_THROW(
      ProviderDriver(rest_descriptor(), test::section(kWidgets, R"({"base_url": "ftp://x"})")),
      std::runtime_error);
}

TEST(RestProviderCreate, RefusesAManifestWithProblemsNamingThem) {
  std::string bad = kWidgets;
  bad.replace(bad.find("{config.token}"), 14, "{config.tokn}");
  try {
    ProviderDriver driver(rest_descriptor(), test::section(bad));
    FAIL() << "created";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("/auth/value"));
    EXPECT_THAT(e.what(), HasSubstr("config.tokn"));
  }
}

}  // namespace
}  // namespace cardsync::rest
