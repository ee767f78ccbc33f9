#include "lookup_fixture.hpp"

#include <stdexcept>
#include <variant>

namespace cardsync::integration {

void LookupFixture::TearDown() {
  provider_.reset();
  harness_.reset();
}

void LookupFixture::start(const LookupProviderCase& provider) {
  TearDown();
  dir_ = std::make_unique<ScratchDir>("lookup");
  test::LookupHarnessOptions options;
  options.storage_plugin = CARDSYNC_SQLITE_PLUGIN;
  options.database = *dir_ / "cardsync.db";
  options.log_level = log::Level::debug;
  options.queue.retry = queue::RetrySchedule{std::chrono::seconds(5), std::chrono::minutes(1), 2.0};
  harness_ = std::make_unique<test::LookupHarness>(clock_, options);

  sandbox::SandboxOptions so;
  so.catalog.games = 1;
  so.catalog.sets_per_game = 1;
  so.catalog.cards_per_set = 1;
  so.catalog.variants_per_card = 1;
  so.threads = 4;
  if (provider.sandbox) provider.sandbox(so);
  harness_->start_sandbox(so);
  control_ = std::make_unique<SandboxControl>(harness_->base_url());

  provider_ = harness_->add_provider(provider.plugin, provider.section(harness_->base_url()));
  name_ = std::string(provider_->name());
  const plugin::LookupKind* kind = provider_->lookups().find(provider.kind);
  if (kind == nullptr) {
    throw std::invalid_argument(name_ + " has no lookup \"" + provider.kind + "\"");
  }
  kind_ = *kind;
  harness_->serve_lookups();
}

lookup::LookupAnswer LookupFixture::lookup(const std::string& input) {
  auto result = harness_->service->lookup(name_, kind_.name, input, "test");
  if (const auto* refusal = std::get_if<lookup::LookupRefusal>(&result)) {
    ADD_FAILURE() << "the lookup was refused: " << refusal->message;
    return {};
  }
  return std::get<lookup::LookupAnswer>(std::move(result));
}

int LookupFixture::run_due_jobs() {
  return harness_->run_due_jobs(*provider_, kind_.job_type);
}

void LookupFixture::run_job(const std::string& type, const std::string& key,
                            const std::string& payload) {
  if (auto failure = harness_->run_job(*provider_, type, key, payload)) ADD_FAILURE() << *failure;
}

std::int64_t LookupFixture::jobs_in_state(sdk::JobState state) {
  return harness_->jobs_in_state(kind_.job_type, state);
}

std::vector<queue::StoredRecordRow> LookupFixture::records(cs_record_kind kind,
                                                           const std::string& parent_key) {
  return harness_->records(kind, parent_key);
}

void LookupFixture::open_breaker() {
  harness_->open_breaker(provider_->service());
}

}  // namespace cardsync::integration
