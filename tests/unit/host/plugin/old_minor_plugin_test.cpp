// A provider built against ABI 1.1 (tests/plugins/old_minor.c, compiled with the 1.1 header
// in tests/plugins/abi_1_1) with this host: it loads, declares no lookups (its vtable ends
// before them), and its plan, start and handle run as they did.
#include <gmock/gmock.h>

#include <cardsync/abi.h>

#include <cstddef>
#include <filesystem>
#include <memory>

#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/provider_runtime.hpp"

namespace cardsync::plugin {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

const std::filesystem::path kOldMinor = std::filesystem::path(CARDSYNC_TEST_PLUGIN_ROOT) /
                                        "old_minor" / "cardsync-provider-old_minor.so";

class OldMinorPlugin : public ::testing::Test {
 protected:
  OldMinorPlugin()
      : registry_(std::make_shared<HostServices>(HostServices::LogFn{})),
        lib_(registry_.load_file(kOldMinor)),
        runtime_(Instance::create(lib_, "{}")) {}

  queue::StoredJob item(const std::string& payload) const {
    queue::StoredJob job;
    job.id = 7;
    job.state = sdk::JobState::processing;
    job.type = "old_minor.item";
    job.key = "one";
    job.payload = payload;
    job.request_id = "req-7";
    return job;
  }

  Registry registry_;
  std::shared_ptr<const Library> lib_;
  plugin::ProviderRuntime runtime_;
};

TEST_F(OldMinorPlugin, LoadsWithTheCurrentHostAsA1_1Provider) {
  EXPECT_EQ(lib_->kind(), Kind::provider);
  EXPECT_EQ(lib_->name(), "old_minor");
  EXPECT_EQ(lib_->descriptor().abi_major, static_cast<uint32_t>(CS_ABI_MAJOR));
  EXPECT_EQ(lib_->descriptor().abi_minor, 1U);
  ASSERT_NE(lib_->provider(), nullptr);
  // Its vtable is the 1.1 one: it ends where the lookup members begin.
  EXPECT_EQ(lib_->provider()->struct_size, offsetof(cs_provider_vtable, lookups));
  EXPECT_EQ(registry_.find(Kind::provider, "old_minor"), lib_);
}

TEST_F(OldMinorPlugin, DeclaresNoLookups) {
  EXPECT_EQ(runtime_.name(), "old_minor");
  EXPECT_EQ(runtime_.service(), "old_minor");
  EXPECT_EQ(runtime_.job_types(), std::vector<std::string>{"old_minor.item"});
  EXPECT_TRUE(runtime_.lookups().kinds().empty());
  EXPECT_EQ(runtime_.lookups().find(""), nullptr);
  LookupKind k;
  k.name = "item";
  auto n = runtime_.lookups().normalise(k, "one");
  EXPECT_FALSE(n.key);
  EXPECT_EQ(n.problem, "this provider offers no lookups");
}

TEST_F(OldMinorPlugin, PlanStartAndHandleRunAsBefore) {
  const std::string url = "http://127.0.0.1:9/item";
  auto plan = runtime_.plan(url);
  ASSERT_EQ(plan.status, CS_OK) << plan.error;
  ASSERT_THAT(plan.output.jobs, SizeIs(1));
  EXPECT_EQ(plan.output.jobs[0].type, "old_minor.item");
  EXPECT_EQ(plan.output.jobs[0].key, "one");
  EXPECT_EQ(plan.output.jobs[0].payload, url);

  const queue::StoredJob job = item(plan.output.jobs[0].payload);
  auto start = runtime_.start(job);
  ASSERT_EQ(start.status, CS_OK) << start.error;
  ASSERT_THAT(start.output.requests, SizeIs(1));
  EXPECT_EQ(start.output.requests[0].method, "GET");
  EXPECT_EQ(start.output.requests[0].url, url);
  EXPECT_TRUE(start.output.records.empty());
  EXPECT_FALSE(start.output.cursor);

  HttpResponse response;
  response.status = 200;
  response.body = "Pikachu";
  auto handled = runtime_.handle(job, start.output.requests[0], response);
  ASSERT_EQ(handled.status, CS_OK) << handled.error;
  ASSERT_THAT(handled.output.records, SizeIs(1));
  const auto& record = handled.output.records[0];
  EXPECT_EQ(record.kind, static_cast<uint32_t>(CS_RECORD_CARD));
  EXPECT_EQ(record.key, "one");
  EXPECT_EQ(record.parent_key, "");
  EXPECT_EQ(record.core_json, R"({"name":"Pikachu"})");
  EXPECT_EQ(record.raw_json, "Pikachu");
  EXPECT_EQ(handled.output.cursor, "done");
  EXPECT_TRUE(handled.output.requests.empty()) << "the job is done";
}

TEST_F(OldMinorPlugin, ItsErrorsComeBackThroughTheHostApi) {
  auto start = runtime_.start(item(""));
  EXPECT_EQ(start.status, CS_PERMANENT);
  EXPECT_EQ(start.error, "old_minor.item needs a URL as its payload");

  HttpRequest request;
  request.url = "http://127.0.0.1:9/item";
  HttpResponse response;
  response.status = 500;
  auto handled = runtime_.handle(item(request.url), request, response);
  EXPECT_EQ(handled.status, CS_PERMANENT);
  EXPECT_THAT(handled.error, HasSubstr("unexpected answer"));
  EXPECT_TRUE(handled.output.records.empty());
}

}  // namespace
}  // namespace cardsync::plugin
