#include "lookup_fixture.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <stdexcept>
#include <variant>

#include "http/url_scope.hpp"
#include "lookup/lookup_options.hpp"
#include "resilience/random_source.hpp"

namespace cardsync::integration {
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

void LookupFixture::TearDown() {
  service_.reset();
  provider_.reset();
  if (sink_) sink_->stop();
  sink_.reset();
  queue_.reset();
  storage_.reset();
  client_.reset();
  transport_.reset();
  if (sandbox_) sandbox_->stop();
}

void LookupFixture::start(const LookupProviderCase& provider) {
  TearDown();
  dir_ = std::make_unique<ScratchDir>("lookup");
  sandbox::SandboxOptions so;
  so.catalog.games = 1;
  so.catalog.sets_per_game = 1;
  so.catalog.cards_per_set = 1;
  so.catalog.variants_per_card = 1;
  so.threads = 4;
  if (provider.sandbox) provider.sandbox(so);
  sandbox_ = std::make_unique<sandbox::Sandbox>(so, clock_);
  sandbox_->start();
  control_ = std::make_unique<SandboxControl>(sandbox_->base_url());

  registry_ = std::make_unique<plugin::Registry>(
      std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto sqlite = registry_->load_file(CARDSYNC_SQLITE_PLUGIN);
  auto lib = registry_->load_file(provider.plugin);
  name_ = std::string(lib->name());

  log_sink_ = std::make_shared<log::MemorySink>();
  logger_ = std::make_unique<log::Logger>(clock_, log::Level::debug);
  logger_->add_sink(log_sink_);
  storage_ = std::make_unique<plugin::PluginStorage>(std::shared_ptr<plugin::Instance>(
      plugin::Instance::create(sqlite, R"({"path":")" + (*dir_ / "cardsync.db").string() + "\"}")));
  storage_->migrate();
  queue::QueueOptions qo;
  qo.retry = queue::RetrySchedule{std::chrono::seconds(5), std::chrono::minutes(1), 2.0};
  queue_ = std::make_unique<queue::JobQueue>(*storage_, clock_, qo);
  sink_ = std::make_unique<queue::BatchSink>(*storage_, sink_clock_);
  transport_ = std::make_unique<CurlClient>(clock_);
  client_ = std::make_unique<ResilientClient>(*transport_, clock_, SystemRandom::instance());

  // providers.<name>, as the effective config holds it.
  rapidjson::Document providers(rapidjson::kObjectType);
  {
    rapidjson::Document section;
    const std::string text = provider.section(sandbox_->base_url());
    section.Parse(text.c_str());
    if (section.HasParseError() || !section.IsObject()) {
      throw std::invalid_argument("the provider section is not a JSON object: " + text);
    }
    providers.AddMember(rapidjson::Value(name_.c_str(), providers.GetAllocator()),
                        rapidjson::Value(section, providers.GetAllocator()),
                        providers.GetAllocator());
  }
  const rapidjson::Value& section = providers[name_.c_str()];
  std::optional<UrlScope> scope;
  if (section.HasMember("base_url") && section["base_url"].IsString()) {
    scope.emplace(section["base_url"].GetString());
  }
  provider_ = std::make_shared<plugin::ProviderRuntime>(
      plugin::Instance::create(lib, plugin_config(section)), std::move(scope));
  const rapidjson::Value no_resilience(rapidjson::kObjectType);
  client_->configure(provider_->service(),
                     ResilienceOptions::for_provider(no_resilience, name_, section));

  const plugin::LookupKind* kind = provider_->lookups().find(provider.kind);
  if (kind == nullptr) {
    throw std::invalid_argument(name_ + " has no lookup \"" + provider.kind + "\"");
  }
  kind_ = *kind;
  pipeline::PipelineParts parts{*storage_, *queue_, *sink_, *client_, clock_,
                                *logger_,  stats_,  {},     {}};
  service_ = std::make_unique<lookup::LookupService>(
      parts, std::vector<std::shared_ptr<plugin::ProviderRuntime>>{provider_}, &providers);
}

lookup::LookupAnswer LookupFixture::lookup(const std::string& input) {
  auto result = service_->lookup(name_, kind_.name, input, "test");
  if (const auto* refusal = std::get_if<lookup::LookupRefusal>(&result)) {
    ADD_FAILURE() << "the lookup was refused: " << refusal->message;
    return {};
  }
  return std::get<lookup::LookupAnswer>(result);
}

pipeline::PipelineParts LookupFixture::worker_parts() {
  pipeline::PipelineParts parts{*storage_, *queue_, *sink_, *client_, clock_,
                                *logger_,  stats_,  {},     {}};
  parts.call_deadline = std::chrono::minutes(2);  // a worker's (pipeline.call_deadline_seconds)
  return parts;
}

int LookupFixture::run_due_jobs() {
  pipeline::JobRunner runner(worker_parts());
  int ran = 0;
  for (;;) {
    auto jobs = queue_->claim(1, {kind_.job_type});
    if (jobs.empty()) break;
    runner.run(*provider_, jobs.front(), CancellationToken());
    sink_->flush();
    ++ran;
  }
  return ran;
}

std::int64_t LookupFixture::jobs_in_state(sdk::JobState state) {
  std::int64_t n = 0;
  for (const auto& s : queue_->stats()) {
    if (s.type == kind_.job_type && s.state == state) n += s.count;
  }
  return n;
}

}  // namespace cardsync::integration
