#include "support/lookup_harness.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

#include "http/url_scope.hpp"
#include "lookup/lookup_options.hpp"
#include "queue/new_job.hpp"
#include "resilience/random_source.hpp"
#include "resilience/resilience_options.hpp"

namespace cardsync::test {
namespace {

// The section as the plugin sees it: without the keys the host owns in every provider
// section.
std::string plugin_config(const rapidjson::Value& section) {
  rapidjson::Document copy;
  copy.CopyFrom(section, copy.GetAllocator());
  copy.RemoveMember("resilience");
  copy.RemoveMember("schedule");
  for (const auto& key : lookup::lookup_host_keys()) copy.RemoveMember(key.name);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  copy.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace

LookupHarness::LookupHarness(Clock& host_clock, const LookupHarnessOptions& options)
    : clock(host_clock), sink_clock(host_clock) {
  registry = std::make_unique<plugin::Registry>(
      std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto sqlite = registry->load_file(options.storage_plugin);
  log_sink = std::make_shared<log::MemorySink>();
  logger = std::make_unique<log::Logger>(clock, options.log_level);
  logger->add_sink(log_sink);
  storage = std::make_unique<plugin::PluginStorage>(std::shared_ptr<plugin::Instance>(
      plugin::Instance::create(sqlite, R"({"path":")" + options.database.string() + "\"}")));
  storage->migrate();
  queue = std::make_unique<queue::JobQueue>(*storage, clock, options.queue);
  sink = std::make_unique<queue::BatchSink>(*storage, *queue, sink_clock);
  transport = std::make_unique<CurlClient>(clock);
  client = std::make_unique<ResilientClient>(*transport, clock, SystemRandom::instance());
}

LookupHarness::~LookupHarness() {
  service.reset();
  providers.clear();
  if (sink) sink->stop();
  sink.reset();
  queue.reset();
  storage.reset();
  client.reset();
  transport.reset();
  if (sandbox) sandbox->stop();
}

void LookupHarness::start_sandbox(const sandbox::SandboxOptions& options) {
  sandbox = std::make_unique<sandbox::Sandbox>(options, clock);
  sandbox->start();
}

std::shared_ptr<plugin::ProviderRuntime> LookupHarness::add_provider(
    const std::filesystem::path& plugin, const std::string& section_json) {
  auto library = registry->load_file(plugin);
  const std::string name(library->name());
  rapidjson::Value section;
  {
    rapidjson::Document parsed;
    parsed.Parse(section_json.c_str());
    if (parsed.HasParseError() || !parsed.IsObject()) {
      throw std::invalid_argument("the " + name + " section is not a JSON object: " + section_json);
    }
    section.CopyFrom(parsed, providers_config.GetAllocator());
  }
  std::optional<UrlScope> scope;
  if (section.HasMember("base_url") && section["base_url"].IsString()) {
    scope.emplace(section["base_url"].GetString());
  }
  auto provider = std::make_shared<plugin::ProviderRuntime>(
      plugin::Instance::create(library, plugin_config(section)), std::move(scope));
  const rapidjson::Value no_resilience(rapidjson::kObjectType);
  client->configure(provider->service(),
                    ResilienceOptions::for_provider(no_resilience, name, section));
  providers_config.RemoveMember(name.c_str());
  providers_config.AddMember(rapidjson::Value(name.c_str(), providers_config.GetAllocator()),
                             section, providers_config.GetAllocator());
  providers.push_back(provider);
  return provider;
}

lookup::LookupService& LookupHarness::serve_lookups(
    const std::optional<std::string>& providers_json) {
  if (providers_json) {
    providers_config.Parse(providers_json->c_str());
    if (providers_config.HasParseError() || !providers_config.IsObject()) {
      throw std::invalid_argument("the providers object is not a JSON object: " + *providers_json);
    }
  }
  service = std::make_unique<lookup::LookupService>(parts(), providers, &providers_config);
  return *service;
}

pipeline::PipelineParts LookupHarness::parts() {
  // A worker's call deadline (pipeline.call_deadline_seconds).
  return pipeline::PipelineParts{
      *storage, *queue, *sink, *client, clock, *logger, stats, std::chrono::minutes(2), {}};
}

int LookupHarness::run_due_jobs(plugin::ProviderRuntime& provider, const std::string& job_type) {
  pipeline::JobRunner runner(parts());
  int ran = 0;
  for (;;) {
    auto jobs = queue->claim(1, {job_type});
    if (jobs.empty()) break;
    runner.run(provider, jobs.front(), CancellationToken());
    sink->flush();
    ++ran;
  }
  return ran;
}

std::optional<std::string> LookupHarness::run_job(plugin::ProviderRuntime& provider,
                                                  const std::string& type, const std::string& key,
                                                  const std::string& payload) {
  queue::NewJob job;
  job.type = type;
  job.key = key;
  job.payload = payload;
  const auto id = queue->enqueue(job).id;
  run_due_jobs(provider, type);
  auto done = queue->find(id);
  if (done && done->state == sdk::JobState::done) return std::nullopt;
  return type + " " + key + " did not complete" +
         (done && !done->errors.empty() ? ": " + done->errors.back().message : "");
}

std::int64_t LookupHarness::jobs_in_state(const std::string& job_type, sdk::JobState state) {
  std::int64_t n = 0;
  for (const auto& s : queue->stats()) {
    if (s.type == job_type && s.state == state) n += s.count;
  }
  return n;
}

std::int64_t LookupHarness::jobs() {
  std::int64_t n = 0;
  for (const auto& s : queue->stats()) n += s.count;
  return n;
}

std::vector<queue::StoredRecordRow> LookupHarness::records(cs_record_kind kind,
                                                           const std::string& parent_key) {
  sdk::RecordQuery q;
  q.kind = kind;
  q.parent_key = parent_key;
  return storage->read_records(q);
}

void LookupHarness::open_breaker(std::string_view service_name) {
  CircuitBreaker& breaker = client->breakers().get(service_name);
  while (!breaker.open_until()) breaker.record(breaker.admit(), BreakerOutcome::failure);
}

}  // namespace cardsync::test
