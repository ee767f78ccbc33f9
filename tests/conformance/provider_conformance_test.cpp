// The provider conformance suite: every provider listed in provider_subjects.cpp, loaded
// from its built .so, against the in-process sandbox. A provider passes when it
//  - declares a config schema the host can compile, item schemas that compile, and job types
//    that are well-formed, unique, and the only ones it ever enqueues;
//  - syncs its whole sandbox catalog to the truth without any I/O of its own (no socket, no
//    file, no sleep inside its calls: the requests it emits are sent by the caller);
//  - quarantines exactly the invalid items, each with a rule, a JSON pointer and the raw item;
//  - resumes a job from the checkpoint it emitted, continuing with the next page;
//  - survives every fault flag of the sandbox with the same records as a clean sync.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cardsync/validation.hpp>

#include <algorithm>
#include <memory>
#include <regex>
#include <set>

#include "config/config_parser.hpp"
#include "config/schema_set.hpp"
#include "plugin/plugin_registry.hpp"
#include "provider_driver.hpp"
#include "provider_io_guard.hpp"
#include "provider_subject.hpp"
#include "provider_sync.hpp"
#include "sandbox/sandbox.hpp"

namespace cardsync::conformance {
namespace {

using ::testing::IsEmpty;

std::string plugin_of(const ProviderSubject& s) {
  return s.plugin.empty() ? s.name : s.plugin;
}

// The config schema an instance's section is checked against: the plugin's, or, for a plugin
// driven by a document, the one its inspect_document derives from the section's document
// (the section's other keys); the document key itself is the host's to read.
std::pair<std::string, std::string> section_and_schema(const cs_plugin_descriptor& d,
                                                       const std::string& section) {
  if (d.document_key == nullptr) return {section, d.config_schema};
  rapidjson::Document config;
  config.Parse(section.c_str());
  auto doc = config.FindMember(d.document_key);
  if (doc == config.MemberEnd()) return {section, d.config_schema};
  rapidjson::StringBuffer doc_text;
  rapidjson::Writer<rapidjson::StringBuffer> dw(doc_text);
  doc->value.Accept(dw);
  std::string inspection, err;
  const cs_status status = d.inspect_document(
      sdk::str(std::string_view(doc_text.GetString(), doc_text.GetSize())),
      [](void* ctx, cs_str v) { *static_cast<std::string*>(ctx) = std::string(sdk::view(v)); },
      &inspection, reinterpret_cast<cs_error*>(&err));
  EXPECT_EQ(status, CS_OK) << err;
  rapidjson::Document result;
  result.Parse(inspection.c_str());
  EXPECT_TRUE(result.IsObject() && result.HasMember("problems") &&
              result.HasMember("config_schema"))
      << inspection;
  if (!result.IsObject() || !result.HasMember("config_schema")) return {section, "{}"};
  EXPECT_EQ(result["problems"].Size(), 0U) << inspection;
  config.RemoveMember(d.document_key);
  rapidjson::StringBuffer sec, schema;
  rapidjson::Writer<rapidjson::StringBuffer> sw(sec), cw(schema);
  config.Accept(sw);
  result["config_schema"].Accept(cw);
  return {sec.GetString(), schema.GetString()};
}

// The loaded plugin, an instance configured for the sandbox, and the sandbox itself.
class Rig {
 public:
  explicit Rig(const ProviderSubject& subject,
               const std::function<void(sandbox::SandboxOptions&)>& tweak = {},
               Clock& clock = SystemClock::instance()) {
    sandbox::SandboxOptions o;
    o.catalog.seed = 9;
    subject.shape(o);
    if (tweak) tweak(o);
    sandbox_ = std::make_unique<sandbox::Sandbox>(o, clock);
    sandbox_->start();
    library_ = registry_.load_file(std::string(CARDSYNC_PLUGIN_DIR) + "/cardsync-provider-" +
                                   plugin_of(subject) + ".so");
    config_ = subject.config(sandbox_->base_url());
    driver_ = std::make_unique<ProviderDriver>(&library_->descriptor(), config_);
  }

  ProviderDriver& driver() { return *driver_; }
  const plugin::Library& library() const { return *library_; }
  const std::string& config() const { return config_; }
  sandbox::Sandbox& sandbox() { return *sandbox_; }
  SandboxGet get() {
    return [this](const std::string& path) {
      rapidjson::Document doc;
      doc.Parse(http_get(sandbox_->base_url() + path).c_str());
      if (doc.HasParseError()) doc.SetObject();
      return doc;
    };
  }

 private:
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  plugin::Registry registry_{std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{})};
  std::shared_ptr<const plugin::Library> library_;
  std::string config_;
  std::unique_ptr<ProviderDriver> driver_;
};

void expect_clean(const SyncOutcome& out) {
  EXPECT_THAT(out.failures, IsEmpty());
  EXPECT_THAT(out.undeclared_job_types, IsEmpty());
  EXPECT_THAT(out.bad_requests, IsEmpty());
  EXPECT_THAT(out.io, IsEmpty()) << "the provider performed I/O inside its calls";
}

void expect_same_records(const SyncOutcome& got, const SyncOutcome& clean) {
  EXPECT_EQ(got.records.size(), clean.records.size());
  for (const auto& [key, rec] : clean.records) {
    auto it = got.records.find(key);
    if (it == got.records.end()) {
      ADD_FAILURE() << "missing record kind " << key.first << " " << key.second;
      continue;
    }
    EXPECT_EQ(it->second.core, rec.core) << key.second;
    EXPECT_EQ(it->second.parent, rec.parent) << key.second;
  }
  EXPECT_EQ(got.rejected, clean.rejected);
}

class ProviderConformance : public ::testing::TestWithParam<ProviderSubject> {};

TEST_P(ProviderConformance, DeclaresValidSchemasAndJobTypes) {
  Rig rig(GetParam());
  const auto& d = rig.library().descriptor();
  const auto& v = rig.driver().vtable();
  EXPECT_EQ(std::string(d.name), plugin_of(GetParam()));
  ASSERT_NE(v.service, nullptr);
  EXPECT_TRUE(std::regex_match(v.service, std::regex("[a-z0-9_]+"))) << v.service;
  const cs_instance_description described = rig.driver().description();

  std::set<std::string> types;
  for (const char* const* t = described.job_types; t != nullptr && *t != nullptr; ++t) {
    EXPECT_TRUE(std::regex_match(*t, std::regex("[a-z0-9_]+\\.[a-z0-9_.]+"))) << *t;
    EXPECT_TRUE(types.insert(*t).second) << "declared twice: " << *t;
  }
  EXPECT_FALSE(types.empty()) << "no job types";

  // The config schema composes into the host's validation and accepts the test's section.
  config::SchemaSet schemas;
  const auto [section, schema] = section_and_schema(d, rig.config());
  schemas.add_plugin("providers", GetParam().name, schema);
  auto parsed = config::parse_text(
      R"({"providers":{")" + GetParam().name + R"(":)" + section + "}}", "cardsync.json",
      [](std::string_view) { return std::optional<std::string>{}; });
  auto& config = std::get<config::ParsedConfig>(parsed);
  auto problems = schemas.resolve(config);
  EXPECT_TRUE(problems.empty()) << problems.front().message;

  // Item schemas: a JSON object of JSON Schemas the SDK's validator compiles.
  rapidjson::Document items;
  items.Parse(described.item_schemas);
  ASSERT_FALSE(items.HasParseError());
  ASSERT_TRUE(items.IsObject());
  EXPECT_GT(items.MemberCount(), 0U);
  for (const auto& m : items.GetObject()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    m.value.Accept(w);
    EXPECT_NO_THROW(sdk::ItemSchema schema(std::string_view(buf.GetString(), buf.GetSize())))
        << m.name.GetString();
  }

  // Planning enqueues only declared job types.
  auto plan = rig.driver().plan(GetParam().plan_spec);
  ASSERT_EQ(plan.status, CS_OK) << plan.error;
  ASSERT_FALSE(plan.jobs.empty());
  for (const auto& job : plan.jobs) EXPECT_EQ(types.count(job.type), 1U) << job.type;
}

TEST_P(ProviderConformance, TheIoGuardSeesSocketsOpenedFromALoadedLibrary) {
  // Without this, "no I/O" below could pass because nothing was being watched.
  Rig rig(GetParam());
  IoGuard::reset();
  {
    IoGuard guard;
    EXPECT_FALSE(http_get(rig.sandbox().base_url() + "/_sandbox/config").empty());
  }
  EXPECT_GT(IoGuard::calls()["socket"], 0);
  IoGuard::reset();
}

TEST_P(ProviderConformance, SyncsTheWholeCatalogWithoutIoOfItsOwn) {
  Rig rig(GetParam());
  const Expectation expected = GetParam().expected(rig.get());
  const SyncOutcome out = run_sync(rig.driver(), GetParam().plan_spec);
  expect_clean(out);
  EXPECT_GT(out.requests_sent, 1);
  std::map<int, std::uint64_t> want(expected.records.begin(), expected.records.end());
  EXPECT_EQ(out.counts(), want);
  if (GetParam().check_records) GetParam().check_records(out, rig.get());
}

TEST_P(ProviderConformance, QuarantinesEveryInvalidItemWithRulePathAndRawItem) {
  Rig rig(GetParam());
  const Expectation expected = GetParam().expected(rig.get());
  if (expected.rejected_items == 0) GTEST_SKIP() << "its emulated upstream serves no invalid items";
  const SyncOutcome out = run_sync(rig.driver(), GetParam().plan_spec);
  expect_clean(out);
  EXPECT_EQ(out.rejected.size(), expected.rejected_items);
  for (const auto& [reason, path, raw] : out.rejected) {
    EXPECT_TRUE(std::regex_search(reason, std::regex("^[a-zA-Z]+: "))) << reason;
    EXPECT_TRUE(path.empty() || path[0] == '/') << path;
    rapidjson::Document doc;
    doc.Parse(raw.c_str());
    EXPECT_FALSE(doc.HasParseError()) << raw;
  }
}

TEST_P(ProviderConformance, ResumesAJobFromItsCheckpointAtTheNextPage) {
  if (!GetParam().multi_request_jobs) GTEST_SKIP() << "its jobs take one request each";
  Rig rig(GetParam());
  const SyncOutcome clean = run_sync(rig.driver(), GetParam().plan_spec);
  SyncOptions resume;
  resume.resume_after_first_page = true;
  const SyncOutcome out = run_sync(rig.driver(), GetParam().plan_spec, resume);
  expect_clean(out);
  EXPECT_GT(out.resumed, 0) << "the subject's catalog must have jobs with several pages";
  EXPECT_EQ(out.resumed_elsewhere, 0) << "a resumed job restarted instead of continuing";
  EXPECT_EQ(out.requests_sent, clean.requests_sent) << "resuming must not refetch pages";
  expect_same_records(out, clean);
}

struct FaultCase {
  std::string name;
  std::function<void(sandbox::SandboxOptions&)> apply;
  std::optional<sandbox::StatCounter> seen;  // the sandbox's count of the fault played
};

std::vector<FaultCase> fault_cases() {
  using sandbox::StatCounter;
  return {
      {"fail_rate", [](auto& o) { o.faults.fail_rate = 0.3; }, StatCounter::kServerError},
      {"throttle_rate", [](auto& o) { o.faults.throttle_rate = 0.3; }, StatCounter::kThrottle},
      {"hang_rate", [](auto& o) { o.faults.hang_rate = 0.1; }, StatCounter::kHang},
      {"truncate_rate", [](auto& o) { o.faults.truncate_rate = 0.3; }, StatCounter::kTruncated},
      {"repeat_rate", [](auto& o) { o.faults.repeat_rate = 0.5; }, StatCounter::kRepeat},
      {"short_page_rate", [](auto& o) { o.faults.short_page_rate = 0.5; }, StatCounter::kShortPage},
      {"outage",
       [](auto& o) {
         o.faults.outage_start = 0;
         o.faults.outage_duration = 3;
       },
       StatCounter::kOutage},
      {"latency_ms", [](auto& o) { o.faults.latency = std::chrono::milliseconds(5); },
       std::nullopt},
  };
}

class ProviderUnderFaults
    : public ::testing::TestWithParam<std::tuple<ProviderSubject, FaultCase>> {};

TEST_P(ProviderUnderFaults, EndsWithTheRecordsOfACleanSync) {
  const auto& [subject, fault] = GetParam();
  if (!subject.paged && (fault.name == "repeat_rate" || fault.name == "short_page_rate")) {
    GTEST_SKIP() << subject.name << " has no pages, so " << fault.name << " cannot occur";
  }
  const auto& not_played = subject.faults_not_played;
  if (std::find(not_played.begin(), not_played.end(), fault.name) != not_played.end()) {
    GTEST_SKIP() << "the sandbox's " << subject.name << " does not play " << fault.name;
  }
  SyncOutcome clean;
  {
    Rig rig(subject);
    clean = run_sync(rig.driver(), subject.plan_spec);
    expect_clean(clean);
  }
  // The outage window follows the sandbox's clock: virtual, advanced by each retry.
  ManualClock clock;
  Rig rig(subject, fault.apply, clock);
  SyncOptions options;
  options.request_timeout_ms = 1000;
  options.on_retry = [&] { clock.advance(std::chrono::seconds(1)); };
  const SyncOutcome out = run_sync(rig.driver(), subject.plan_spec, options);
  expect_clean(out);
  expect_same_records(out, clean);
  if (fault.seen) {
    EXPECT_GT(rig.sandbox().stats().counter(*fault.seen), 0U) << "the fault never happened";
  }
  RecordProperty("requests", out.requests_sent);
}

INSTANTIATE_TEST_SUITE_P(Providers, ProviderConformance, ::testing::ValuesIn(provider_subjects()),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Providers, ProviderUnderFaults,
                         ::testing::Combine(::testing::ValuesIn(provider_subjects()),
                                            ::testing::ValuesIn(fault_cases())),
                         [](const auto& info) {
                           return std::get<0>(info.param).name + "_" + std::get<1>(info.param).name;
                         });

}  // namespace
}  // namespace cardsync::conformance
