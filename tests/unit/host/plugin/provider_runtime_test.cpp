// ProviderRuntime over the `echo` test provider: what its calls emitted comes back as owned
// C++ values, a plugin's failure as a status and message, and its URL scope and FATAL latch
// behave as the pipeline relies on.
#include "plugin/provider_runtime.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "plugin/plugin_registry.hpp"

namespace cardsync::plugin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ProviderRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = std::make_unique<Registry>(std::make_shared<HostServices>(HostServices::LogFn{}));
    ASSERT_TRUE(
        registry_->load_directories({std::filesystem::path(CARDSYNC_TEST_PLUGIN_ROOT) / "good"})
            .empty());
  }

  std::unique_ptr<Instance> echo() {
    return Instance::create(registry_->find(Kind::provider, "echo"), R"({"channel":"c"})");
  }
  static queue::StoredJob job(std::string key) {
    queue::StoredJob j;
    j.id = 7;
    j.type = "echo.say";
    j.key = std::move(key);
    j.request_id = "req-1";
    j.attempts = 1;
    return j;
  }

  std::unique_ptr<Registry> registry_;
};

TEST_F(ProviderRuntimeTest, DescribesTheProvider) {
  ProviderRuntime p(echo());
  EXPECT_EQ(p.name(), "echo");
  EXPECT_EQ(p.service(), "echo");
  EXPECT_THAT(p.job_types(), ElementsAre("echo.say"));
  EXPECT_TRUE(p.serves("echo.say"));
  EXPECT_FALSE(p.serves("echo.shout"));
}

TEST_F(ProviderRuntimeTest, WhatACallEmittedComesBackAsValues) {
  ProviderRuntime p(echo());
  ProviderResult started = p.start(job("pokemon"));
  ASSERT_EQ(started.status, CS_OK);
  ASSERT_EQ(started.output.requests.size(), 1u);
  EXPECT_EQ(started.output.requests[0].method, "GET");
  EXPECT_EQ(started.output.requests[0].url, "http://example.invalid/pokemon");

  HttpResponse response;
  response.status = 200;
  response.body = R"({"raw":1})";
  ProviderResult handled = p.handle(job("pokemon"), started.output.requests[0], response);
  ASSERT_EQ(handled.status, CS_OK);
  ASSERT_EQ(handled.output.records.size(), 1u);
  const queue::RecordItem& record = handled.output.records[0];
  EXPECT_EQ(record.kind, CS_RECORD_GAME);
  EXPECT_EQ(record.key, "pokemon");
  EXPECT_EQ(record.source, "echo") << "records carry the provider's name";
  EXPECT_EQ(record.raw_json, R"({"raw":1})");
  EXPECT_EQ(handled.output.cursor, "http://example.invalid/pokemon");
}

TEST_F(ProviderRuntimeTest, APluginFailureIsAStatusWithItsMessage) {
  ProviderRuntime p(echo());
  ProviderResult thrown = p.start(job("boom"));
  EXPECT_EQ(thrown.status, CS_PERMANENT);
  EXPECT_THAT(thrown.error, HasSubstr("kaboom in start"));
  ProviderResult busy = p.start(job("retry"));
  EXPECT_EQ(busy.status, CS_RETRY);
  EXPECT_EQ(busy.error, "upstream busy");
}

TEST_F(ProviderRuntimeTest, RequestsOutsideTheUrlScopeAreNamed) {
  ProviderRuntime unscoped(echo());
  HttpRequest request;
  request.url = "http://elsewhere.invalid/steal?key=secret";
  EXPECT_EQ(unscoped.out_of_scope(request), std::nullopt);

  ProviderRuntime scoped(echo(), UrlScope("http://example.invalid/"));
  EXPECT_EQ(scoped.out_of_scope(HttpRequest{"GET", "http://example.invalid/ok", {}, {}}),
            std::nullopt);
  EXPECT_EQ(scoped.out_of_scope(request),
            "provider 'echo' asked for http://elsewhere.invalid/steal, which is outside its "
            "base_url http://example.invalid/; refused without sending it");
}

TEST_F(ProviderRuntimeTest, DisablingLatchesOnceWithTheFirstReason) {
  ProviderRuntime p(echo());
  EXPECT_FALSE(p.disabled());
  EXPECT_TRUE(p.disable("bad credentials"));
  EXPECT_FALSE(p.disable("again"));
  EXPECT_TRUE(p.disabled());
  EXPECT_EQ(p.disabled_reason(), "bad credentials");
}

TEST_F(ProviderRuntimeTest, AStoragePluginIsRefused) {
  EXPECT_THROW(ProviderRuntime(Instance::create(registry_->find(Kind::storage, "memo"), "{}")),
               std::invalid_argument);
}

}  // namespace
}  // namespace cardsync::plugin
