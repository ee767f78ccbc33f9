// Calls into a real loaded plugin through the C vtable: exceptions thrown by plugin code
// must come back as statuses with messages, never as a crash or an unwind into the host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "plugin/call_error.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"

struct cs_emit {
  std::vector<std::string> urls;
  std::vector<std::string> records;
  std::string cursor;
};

namespace cardsync::plugin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string_view sv(cs_str s) {
  return {s.data, s.len};
}

const cs_emit_api kEmitApi = {
    sizeof(cs_emit_api),
    [](cs_emit* e, const cs_request* r) { e->urls.emplace_back(sv(r->url)); },
    [](cs_emit* e, const cs_record* r) { e->records.emplace_back(sv(r->key)); },
    [](cs_emit*, cs_str, cs_str, cs_str) {},
    [](cs_emit*, cs_str, cs_str, cs_str) {},
    [](cs_emit* e, cs_str c) { e->cursor = std::string(sv(c)); },
    [](cs_emit*, int64_t, int64_t) {}};

class PluginCall : public ::testing::Test {
 protected:
  void SetUp() override {
    auto services = std::make_shared<HostServices>([this](cs_log_level, std::string_view rid,
                                                          std::string_view msg,
                                                          const HostServices::Fields& fields) {
      std::lock_guard lock(mu_);
      logs_.push_back(std::string(rid) + "|" + std::string(msg) + "|" +
                      (fields.empty() ? "" : fields[0].first + "=" + fields[0].second));
    });
    registry_ = std::make_unique<Registry>(services);
    ASSERT_TRUE(
        registry_->load_directories({std::filesystem::path(CARDSYNC_TEST_PLUGIN_ROOT) / "good"})
            .empty());
    instance_ = Instance::create(registry_->find(Kind::provider, "echo"), "{}");
    vt_ = instance_->library().provider();
  }

  cs_status start(const std::string& key, cs_error& err, cs_emit& out) {
    cs_job job{sizeof(cs_job), 7, {"echo.say", 8}, {key.data(), key.size()}, {}, {},
               {"req-1", 5},   1};
    return vt_->start(instance_->handle(), &job, &kEmitApi, &out, &err);
  }

  std::mutex mu_;
  std::vector<std::string> logs_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Instance> instance_;
  const cs_provider_vtable* vt_ = nullptr;
};

TEST_F(PluginCall, SuccessfulCallEmitsAndLogsThroughTheHost) {
  cs_error err;
  cs_emit out;
  EXPECT_EQ(start("pokemon", err, out), CS_OK);
  EXPECT_THAT(out.urls, ElementsAre("http://example.invalid/pokemon"));
  EXPECT_THAT(logs_, ElementsAre("req-1|echo start|key=pokemon"));

  cs_job job{sizeof(cs_job), 7, {"echo.say", 8}, {"pokemon", 7}, {}, {}, {}, 1};
  cs_request req{sizeof(cs_request), {"GET", 3}, {"http://u/1", 10}, nullptr, 0, {}};
  cs_response res{sizeof(cs_response), 200, nullptr, 0, {"{}", 2}};
  EXPECT_EQ(vt_->handle(instance_->handle(), &job, &req, &res, &kEmitApi, &out, &err), CS_OK);
  EXPECT_THAT(out.records, ElementsAre("pokemon"));
  EXPECT_EQ(out.cursor, "http://u/1");
}

TEST_F(PluginCall, StdExceptionBecomesPermanentWithMessage) {
  cs_error err;
  cs_emit out;
  EXPECT_EQ(start("boom", err, out), CS_PERMANENT);
  EXPECT_THAT(err.message, HasSubstr("kaboom in start"));
}

TEST_F(PluginCall, NonStandardExceptionIsCaughtToo) {
  cs_error err;
  cs_emit out;
  EXPECT_EQ(start("odd", err, out), CS_PERMANENT);
  EXPECT_THAT(err.message, HasSubstr("non-standard exception"));
}

TEST_F(PluginCall, SdkErrorChoosesTheStatus) {
  cs_error err;
  cs_emit out;
  EXPECT_EQ(start("retry", err, out), CS_RETRY);
  EXPECT_EQ(err.message, "upstream busy");
}

TEST_F(PluginCall, MalformedConfigJsonIsAnErrorNotACrash) {
  EXPECT_THROW(Instance::create(registry_->find(Kind::provider, "echo"), "{not json"), PluginError);
}

}  // namespace
}  // namespace cardsync::plugin
