#include "cert_lookup_fixture.hpp"

#include "resilience/random_source.hpp"
#include "sandbox/psa_certs.hpp"

namespace cardsync::integration {

constexpr const char* kCertRoute = "GET /publicapi/cert/GetByCertNumber/{cert}";
constexpr const char* kImagesRoute = "GET /publicapi/cert/GetImagesByCertNumber/{cert}";

void CertLookupTest::TearDown() {
  lookup_.reset();
  provider_.reset();
  if (sink_) sink_->stop();
  sink_.reset();
  queue_.reset();
  storage_.reset();
  client_.reset();
  transport_.reset();
  if (sandbox_) sandbox_->stop();
}

void CertLookupTest::start(const CertLookupSetup& setup) {
  TearDown();
  dir_ = std::make_unique<ScratchDir>("cert-lookup");
  sandbox::SandboxOptions so;
  so.catalog.games = 1;
  so.catalog.sets_per_game = 1;
  so.catalog.cards_per_set = 1;
  so.catalog.variants_per_card = 1;
  so.threads = 4;
  so.psa.daily_quota = setup.sandbox_daily_quota;
  sandbox_ = std::make_unique<sandbox::Sandbox>(so, clock_);
  sandbox_->start();
  control_ = std::make_unique<SandboxControl>(sandbox_->base_url());

  registry_ = std::make_unique<plugin::Registry>(
      std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto sqlite = registry_->load_file(CARDSYNC_SQLITE_PLUGIN);
  auto psa = registry_->load_file(CARDSYNC_PSA_PLUGIN);

  log_sink_ = std::make_shared<log::MemorySink>();
  logger_ = std::make_unique<log::Logger>(clock_, log::Level::debug);
  logger_->add_sink(log_sink_);
  storage_ = std::make_unique<plugin::PluginStorage>(std::shared_ptr<plugin::Instance>(
      plugin::Instance::create(sqlite, R"({"path":")" + (*dir_ / "cardsync.db").string() + "\"}")));
  storage_->migrate();
  queue::QueueOptions qo;
  qo.retry = queue::RetrySchedule{std::chrono::seconds(5), std::chrono::minutes(1), 2.0};
  queue_ = std::make_unique<queue::JobQueue>(*storage_, clock_, qo);
  sink_ = std::make_unique<queue::BatchSink>(*storage_, *queue_, sink_clock_);
  transport_ = std::make_unique<CurlClient>(clock_);
  ResilienceOptions ro;
  ro.retry.max_retries = setup.max_retries;
  ro.retry.base_delay = std::chrono::milliseconds(100);
  ro.pacing.daily_quota = setup.host_daily_quota;
  client_ = std::make_unique<ResilientClient>(*transport_, clock_, SystemRandom::instance());
  client_->configure("psa", ro);

  provider_ = std::make_shared<plugin::ProviderRuntime>(
      plugin::Instance::create(psa, R"({"base_url":")" + sandbox_->base_url() +
                                        R"(/publicapi","token":")" + setup.token + "\"}"));
  pipeline::PipelineParts parts{*storage_, *queue_, *sink_, *client_, clock_,
                                *logger_,  stats_,  {},     {}};
  lookup_ = std::make_unique<cache::CertLookup>(parts, provider_, options_);
}

std::uint64_t CertLookupTest::cert_requests() const {
  return control_->stats().route_total(kCertRoute);
}

std::uint64_t CertLookupTest::image_requests() const {
  return control_->stats().route_total(kImagesRoute);
}

int CertLookupTest::run_due_jobs() {
  pipeline::PipelineParts parts{*storage_, *queue_, *sink_, *client_, clock_,
                                *logger_,  stats_,  {},     {}};
  parts.call_deadline = std::chrono::minutes(2);  // a worker's (pipeline.call_deadline_seconds)
  pipeline::JobRunner runner(parts);
  int ran = 0;
  for (;;) {
    auto jobs = queue_->claim(1, {"psa.cert"});
    if (jobs.empty()) break;
    runner.run(*provider_, jobs.front(), CancellationToken());
    sink_->flush();
    ++ran;
  }
  return ran;
}

std::int64_t CertLookupTest::jobs_in_state(sdk::JobState state) {
  std::int64_t n = 0;
  for (const auto& s : queue_->stats()) {
    if (s.type == "psa.cert" && s.state == state) n += s.count;
  }
  return n;
}

}  // namespace cardsync::integration
