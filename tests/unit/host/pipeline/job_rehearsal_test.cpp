// rehearse_job, the engine of `cardsync manifest try`: a job's first pages through the
// provider and the resilient client, in virtual time, with nothing stored; it stops at the
// page limit, at the job's end, at a failed call and at a URL outside the provider's scope.
#include "pipeline/job_rehearsal.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "fake_transport.hpp"
#include "plugin/plugin_registry.hpp"
#include "resilience/random_source.hpp"
#include "time/clock.hpp"

namespace cardsync::pipeline {
namespace {

using ::testing::HasSubstr;

class JobRehearsal : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = std::make_unique<plugin::Registry>(
        std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
    link_ = registry_->load_file(CARDSYNC_LINK_PLUGIN);
    ResilienceOptions options;
    options.retry.max_retries = 0;
    client_.configure("link", options);
    transport_.script([](int, const HttpRequest& r, const TransportContext&) {
      HttpResponse res = testing::status_response(200);
      res.body = R"({"page":")" + r.url + "\"}";
      return res;
    });
  }

  std::unique_ptr<plugin::ProviderRuntime> provider(std::optional<std::string> base_url = {}) {
    std::optional<UrlScope> scope;
    if (base_url) scope.emplace(*base_url);
    return std::make_unique<plugin::ProviderRuntime>(plugin::Instance::create(link_, "{}"),
                                                     std::move(scope));
  }
  static queue::StoredJob job(const std::string& next) {
    queue::StoredJob j;
    j.type = "link.follow";
    j.key = "k";
    j.payload = R"({"start": ["http://up.example/1"], "next": ")" + next + "\"}";
    j.attempts = 1;
    return j;
  }
  Rehearsal rehearse(const plugin::ProviderRuntime& p, const std::string& next, int pages) {
    return rehearse_job(p, client_, clock_, job(next), pages, std::chrono::seconds(30));
  }

  ManualClock clock_{true};
  testing::FakeTransport transport_{clock_};
  ResilientClient client_{transport_, clock_, SystemRandom::instance()};
  std::unique_ptr<plugin::Registry> registry_;
  std::shared_ptr<const plugin::Library> link_;
};

TEST_F(JobRehearsal, StopsAtThePageLimitAndShowsTheNextRequest) {
  const auto p = provider();
  const auto r = rehearse(*p, "http://up.example/2", 1);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.stopped, "page limit");
  ASSERT_EQ(r.pages.size(), 1U);
  EXPECT_EQ(transport_.calls(), 1);
  EXPECT_EQ(r.pages[0].response->status, 200);
  ASSERT_EQ(r.pages[0].result.output.records.size(), 1U);
  ASSERT_EQ(r.pages[0].result.output.requests.size(), 1U);
  EXPECT_EQ(r.pages[0].result.output.requests[0].url, "http://up.example/2");
}

TEST_F(JobRehearsal, RunsToTheJobsEndWithinTheLimit) {
  const auto p = provider();
  const auto r = rehearse(*p, "http://up.example/2", 5);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.stopped, "done");
  EXPECT_EQ(r.pages.size(), 2U);
  EXPECT_EQ(transport_.calls(), 2);
}

TEST_F(JobRehearsal, AFailedCallStopsItWithTheCause) {
  transport_.always(testing::status_response(503));
  const auto p = provider();
  const auto r = rehearse(*p, "http://up.example/2", 5);
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.pages.size(), 1U);
  EXPECT_THAT(r.stopped, HasSubstr("HTTP 503"));
}

TEST_F(JobRehearsal, AUrlOutsideTheScopeIsNeverSent) {
  const auto p = provider("http://up.example/");
  const auto r = rehearse(*p, "http://elsewhere.example/2", 5);
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.stopped, HasSubstr("outside its base_url"));
  EXPECT_EQ(transport_.calls(), 1);
}

}  // namespace
}  // namespace cardsync::pipeline
