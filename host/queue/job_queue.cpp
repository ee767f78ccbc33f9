#include "queue/job_queue.hpp"

#include <unistd.h>

#include <array>

namespace cardsync::queue {
namespace {

std::string default_owner() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return std::string(host.data()) + ":" + std::to_string(getpid());
}

int64_t to_ms(std::chrono::milliseconds d) {
  return static_cast<int64_t>(d.count());
}

// 32 hex digits: unique enough that a stale holder can never guess the token of a later
// claim.
std::string new_lease_token(RandomSource& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (size_t half = 0; half < 2; ++half) {
    uint64_t v = random.bits();
    for (size_t i = 0; i < 16; ++i) {
      out[(half * 16) + i] = kHex[v & 0xf];
      v >>= 4;
    }
  }
  return out;
}

}  // namespace

JobQueue::JobQueue(Storage& storage, Clock& clock, QueueOptions options, RandomSource& random)
    : storage_(storage), clock_(clock), options_(std::move(options)), random_(random) {
  if (options_.owner.empty()) options_.owner = default_owner();
  if (options_.max_attempts < 1) options_.max_attempts = 1;
}

int64_t JobQueue::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch())
      .count();
}

sdk::JobSpec JobQueue::spec(const NewJob& job, int64_t now_ms) const {
  return sdk::JobSpec{job.type,
                      job.key,
                      job.payload,
                      job.request_id,
                      now_ms + to_ms(job.delay),
                      job.max_attempts > 0 ? job.max_attempts : options_.max_attempts};
}

sdk::EnqueueResult JobQueue::enqueue(const NewJob& job) {
  return enqueue(std::vector<NewJob>{job}).front();
}

std::vector<sdk::EnqueueResult> JobQueue::enqueue(const std::vector<NewJob>& jobs) {
  const int64_t now = now_ms();
  std::vector<sdk::JobSpec> specs;
  specs.reserve(jobs.size());
  for (const auto& j : jobs) specs.push_back(spec(j, now));
  return storage_.enqueue(specs, now);
}

std::vector<StoredJob> JobQueue::claim(int max_jobs, const std::vector<std::string>& types) {
  const int64_t now = now_ms();
  const std::string token = new_lease_token(random_);
  sdk::ClaimRequest req{max_jobs, options_.owner, token, now, now + to_ms(options_.lease), {}};
  req.types.assign(types.begin(), types.end());
  return storage_.claim(req);
}

bool JobQueue::heartbeat(const StoredJob& job) {
  const int64_t now = now_ms();
  return storage_.heartbeat(job.id, job.lease_token, now + to_ms(options_.lease), now);
}

TransitionSpec JobQueue::checkpoint_transition(const StoredJob& job, std::string cursor) const {
  TransitionSpec t;
  t.action = sdk::Action::checkpoint;
  t.job_id = job.id;
  t.lease_token = job.lease_token;
  t.cursor = std::move(cursor);
  t.now_ms = now_ms();
  return t;
}

TransitionSpec JobQueue::complete_transition(const StoredJob& job, std::string cursor) const {
  TransitionSpec t = checkpoint_transition(job, std::move(cursor));
  t.action = sdk::Action::complete;
  return t;
}

TransitionSpec JobQueue::failure_transition(const StoredJob& job, const JobFailure& failure) const {
  TransitionSpec t;
  t.job_id = job.id;
  t.lease_token = job.lease_token;
  t.now_ms = now_ms();
  t.error_message = failure.message.empty() ? "failed without a message" : failure.message;
  t.http_status = failure.http_status;
  t.request_id = failure.request_id;
  const int max_attempts = job.max_attempts > 0 ? job.max_attempts : options_.max_attempts;
  if (failure.permanent || job.attempts >= max_attempts) {
    t.action = sdk::Action::fail;
  } else {
    t.action = sdk::Action::retry;
    t.run_at_ms = t.now_ms + to_ms(options_.retry.delay(job.attempts, random_.uniform()));
  }
  return t;
}

TransitionSpec JobQueue::snooze_transition(const StoredJob& job, std::chrono::milliseconds delay,
                                           std::string reason, int http_status) const {
  TransitionSpec t;
  t.action = sdk::Action::snooze;
  t.job_id = job.id;
  t.lease_token = job.lease_token;
  t.now_ms = now_ms();
  t.run_at_ms = t.now_ms + to_ms(delay);
  t.error_message = std::move(reason);
  t.http_status = http_status;
  return t;
}

bool JobQueue::apply(const TransitionSpec& t) {
  return storage_.transition({t.view()}).front();
}

bool JobQueue::checkpoint(const StoredJob& job, std::string_view cursor) {
  return apply(checkpoint_transition(job, std::string(cursor)));
}

bool JobQueue::complete(const StoredJob& job, std::string_view cursor) {
  return apply(complete_transition(job, std::string(cursor)));
}

FailResult JobQueue::fail(const StoredJob& job, const JobFailure& failure) {
  TransitionSpec t = failure_transition(job, failure);
  if (!apply(t)) return FailResult{FailOutcome::stale, 0};
  if (t.action == sdk::Action::fail) return FailResult{FailOutcome::failed, 0};
  return FailResult{FailOutcome::retry_scheduled, t.run_at_ms};
}

bool JobQueue::snooze(const StoredJob& job, std::chrono::milliseconds delay,
                      std::string_view reason, int http_status) {
  return apply(snooze_transition(job, delay, std::string(reason), http_status));
}

sdk::Storage::RetryFailedResult JobQueue::retry_failed(int64_t job_id) {
  return storage_.retry_failed(job_id, {}, now_ms());
}

sdk::Storage::RetryFailedResult JobQueue::retry_all_failed(std::string_view type) {
  return storage_.retry_failed(0, type, now_ms());
}

sdk::Storage::RescueResult JobQueue::rescue_expired() {
  return storage_.rescue_expired(now_ms());
}

std::vector<StatCount> JobQueue::stats() {
  return storage_.stats();
}

std::vector<StoredJob> JobQueue::failed_jobs(std::string_view type) {
  sdk::JobQuery q;
  q.state = CS_JOB_FAILED;
  q.type = type;
  q.with_errors = true;
  return storage_.list_jobs(q);
}

std::optional<StoredJob> JobQueue::find(int64_t job_id) {
  sdk::JobQuery q;
  q.after_id = job_id - 1;
  q.limit = 1;
  q.with_errors = true;
  auto jobs = storage_.list_jobs(q);
  if (jobs.empty() || jobs.front().id != job_id) return std::nullopt;
  return jobs.front();
}

}  // namespace cardsync::queue
