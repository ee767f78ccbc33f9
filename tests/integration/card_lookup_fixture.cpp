#include "card_lookup_fixture.hpp"

#include "pipeline/job_runner.hpp"
#include "queue/new_job.hpp"
#include "resilience/random_source.hpp"

namespace cardsync::integration {

void CardLookupTest::TearDown() {
  lookups_.reset();
  provider_.reset();
  if (sink_) sink_->stop();
  sink_.reset();
  queue_.reset();
  storage_.reset();
  client_.reset();
  transport_.reset();
  if (sandbox_) sandbox_->stop();
}

void CardLookupTest::start(const CardLookupSetup& setup) {
  TearDown();
  const CardLookupSubject& subject = GetParam();
  dir_ = std::make_unique<ScratchDir>("card-lookup-" + subject.provider);
  sandbox::SandboxOptions so;
  so.catalog.seed = 11;
  so.catalog.invalid_rate = 0;
  so.threads = 4;
  subject.shape(so);
  sandbox_ = std::make_unique<sandbox::Sandbox>(so, clock_);
  sandbox_->start();
  control_ = std::make_unique<SandboxControl>(sandbox_->base_url());

  registry_ = std::make_unique<plugin::Registry>(
      std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{}));
  auto sqlite =
      registry_->load_file(std::string(CARDSYNC_PLUGIN_DIR) + "/cardsync-storage-sqlite.so");
  auto library = registry_->load_file(std::string(CARDSYNC_PLUGIN_DIR) + "/cardsync-provider-" +
                                      subject.provider + ".so");

  logger_ = std::make_unique<log::Logger>(clock_, log::Level::warn);
  storage_ = std::make_unique<plugin::PluginStorage>(std::shared_ptr<plugin::Instance>(
      plugin::Instance::create(sqlite, R"({"path":")" + (*dir_ / "cardsync.db").string() + "\"}")));
  storage_->migrate();
  queue::QueueOptions qo;
  qo.retry = queue::RetrySchedule{std::chrono::seconds(5), std::chrono::minutes(1), 2.0};
  queue_ = std::make_unique<queue::JobQueue>(*storage_, clock_, qo);
  sink_ = std::make_unique<queue::BatchSink>(*storage_, sink_clock_);
  transport_ = std::make_unique<CurlClient>(clock_);
  provider_ = std::make_shared<plugin::ProviderRuntime>(
      plugin::Instance::create(library, subject.config(sandbox_->base_url())));

  ResilienceOptions ro;
  ro.retry.max_retries = setup.max_retries;
  ro.retry.base_delay = std::chrono::milliseconds(100);
  ro.pacing.daily_quota = setup.host_daily_quota;
  client_ = std::make_unique<ResilientClient>(*transport_, clock_, SystemRandom::instance());
  client_->configure(provider_->service(), ro);

  // No providers section: the lookup's timing is the one its provider declares.
  lookups_ = std::make_unique<lookup::LookupService>(
      parts(), std::vector<std::shared_ptr<plugin::ProviderRuntime>>{provider_}, nullptr);
}

pipeline::PipelineParts CardLookupTest::parts() {
  // A worker's call deadline (pipeline.call_deadline_seconds); a lookup sets its own.
  return pipeline::PipelineParts{
      *storage_, *queue_, *sink_, *client_, clock_, *logger_, stats_, std::chrono::minutes(2), {}};
}

lookup::LookupAnswer CardLookupTest::lookup(const std::string& input) {
  auto answer = lookups_->lookup(GetParam().provider, "card", input, "test");
  if (const auto* refusal = std::get_if<lookup::LookupRefusal>(&answer)) {
    ADD_FAILURE() << "the lookup was refused: " << refusal->message;
    return {};
  }
  return std::get<lookup::LookupAnswer>(std::move(answer));
}

std::uint64_t CardLookupTest::lookup_requests() const {
  return control_->stats().route_total(GetParam().route);
}

std::uint64_t CardLookupTest::all_requests() const {
  return control_->stats().total();
}

int CardLookupTest::run_due_jobs() {
  pipeline::JobRunner runner(parts());
  int ran = 0;
  for (;;) {
    auto jobs = queue_->claim(1, {kind().job_type});
    if (jobs.empty()) break;
    runner.run(*provider_, jobs.front(), CancellationToken());
    sink_->flush();
    ++ran;
  }
  return ran;
}

void CardLookupTest::run_job(const std::string& type, const std::string& key,
                             const std::string& payload) {
  queue::NewJob job;
  job.type = type;
  job.key = key;
  job.payload = payload;
  const auto id = queue_->enqueue(job).id;
  pipeline::JobRunner runner(parts());
  for (;;) {
    auto jobs = queue_->claim(1, {type});
    if (jobs.empty()) break;
    runner.run(*provider_, jobs.front(), CancellationToken());
    sink_->flush();
  }
  auto done = queue_->find(id);
  if (!done || done->state != sdk::JobState::done) {
    ADD_FAILURE() << type << " " << key << " did not complete"
                  << (done && !done->errors.empty() ? ": " + done->errors.back().message : "");
  }
}

std::int64_t CardLookupTest::jobs_in_state(sdk::JobState state) {
  std::int64_t n = 0;
  for (const auto& s : queue_->stats()) {
    if (s.type == kind().job_type && s.state == state) n += s.count;
  }
  return n;
}

std::vector<queue::StoredRecordRow> CardLookupTest::records(cs_record_kind kind,
                                                            const std::string& parent_key) {
  sdk::RecordQuery q;
  q.kind = kind;
  q.parent_key = parent_key;
  return storage_->read_records(q);
}

void CardLookupTest::open_breaker() {
  CircuitBreaker& breaker = client_->breakers().get(provider_->service());
  while (!breaker.open_until()) breaker.record(breaker.admit(), BreakerOutcome::failure);
}

}  // namespace cardsync::integration
