#include "queue/batch_sink.hpp"

#include <stdexcept>

#include "queue/content_hash.hpp"

namespace cardsync::queue {
namespace {

int64_t wall_ms(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.wall().time_since_epoch())
      .count();
}

void add_counts(sdk::WriteCounts& into, const sdk::WriteCounts& from) {
  for (size_t k = 0; k < CS_RECORD_KIND_SLOTS; ++k) {
    into.inserted[k] += from.inserted[k];
    into.updated[k] += from.updated[k];
    into.unchanged[k] += from.unchanged[k];
    into.rejected[k] += from.rejected[k];
  }
}

void notify(const UnitCallback& cb, const UnitOutcome& outcome) {
  if (!cb) return;
  try {
    cb(outcome);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a worker's callback must not stop the sink
  }
}

}  // namespace

BatchSink::BatchSink(Storage& storage, const JobQueue& jobs, Clock& clock, BatchSinkOptions options,
                     RandomSource& random)
    : storage_(storage), jobs_(jobs), clock_(clock), options_(options), random_(random) {
  thread_ = std::thread([this] { run(); });
}

BatchSink::~BatchSink() {
  stop();
}

void BatchSink::add(BatchUnit unit, UnitCallback on_done) {
  // Hash on the caller's thread: workers share the cost instead of the flusher.
  for (auto& r : unit.records) {
    if (r.content_hash.empty()) {
      r.content_hash = content_hash(r.parent_key, r.source, r.core_json, r.raw_json);
    }
  }
  Entry e;
  e.records = unit.records.size();
  e.bytes = unit.bytes();
  e.unit = std::move(unit);
  e.on_done = std::move(on_done);

  std::unique_lock lock(mu_);
  space_cv_.wait(lock, [&] { return stopping_ || pending_bytes_ < options_.max_buffered_bytes; });
  if (stopping_) throw std::logic_error("BatchSink::add after stop()");
  const bool was_empty = pending_.empty();
  if (was_empty) oldest_ = clock_.now();
  e.seq = next_seq_++;
  pending_records_ += e.records;
  pending_bytes_ += e.bytes;
  pending_jobs_ += e.unit.jobs.size();
  pending_.push_back(std::move(e));
  // Wake the flusher to start the age timer or because a threshold is reached.
  if (was_empty || pending_records_ >= options_.max_records ||
      pending_bytes_ >= options_.max_bytes || wanted_now()) {
    wake_.cancel();
  }
}

void BatchSink::producer_joined() {
  std::lock_guard lock(mu_);
  ++producers_;
  ++idle_producers_;
  if (!pending_.empty() && wanted_now()) wake_.cancel();
}

void BatchSink::producer_left(bool was_idle) {
  std::lock_guard lock(mu_);
  --producers_;
  if (was_idle) --idle_producers_;
  // The others may all be idle now.
  if (!pending_.empty() && wanted_now()) wake_.cancel();
}

void BatchSink::producer_idle() {
  std::lock_guard lock(mu_);
  ++idle_producers_;
  if (!pending_.empty() && wanted_now()) wake_.cancel();
}

void BatchSink::producer_busy() {
  std::lock_guard lock(mu_);
  --idle_producers_;
}

void BatchSink::flush() {
  std::unique_lock lock(mu_);
  const uint64_t target = next_seq_ - 1;
  if (handled_seq_ >= target) return;
  flush_target_ = std::max(flush_target_, target);
  wake_.cancel();
  done_cv_.wait(lock, [&] { return handled_seq_ >= target; });
}

void BatchSink::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    wake_.cancel();
  }
  space_cv_.notify_all();
  stop_token_.cancel();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

BatchSink::Stats BatchSink::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

std::optional<Clock::SteadyTime> BatchSink::waiting_until() const {
  std::lock_guard lock(mu_);
  return waiting_until_;
}

bool BatchSink::wanted_now() const {
  if (producers_ <= 0 || idle_producers_ <= 0) return false;
  return idle_producers_ >= producers_ || pending_jobs_ > 0;
}

bool BatchSink::due(Clock::SteadyTime now) const {
  return stopping_ || pending_records_ >= options_.max_records ||
         pending_bytes_ >= options_.max_bytes || flush_target_ >= pending_.front().seq ||
         wanted_now() || now - oldest_ >= options_.max_age;
}

void BatchSink::sleep(std::unique_lock<std::mutex>& lock,
                      std::optional<Clock::SteadyTime> deadline) {
  wake_ = CancellationToken();
  CancellationToken wake = wake_;
  waiting_until_ = deadline;
  lock.unlock();
  // Without a deadline, sleep "forever": add() or stop() cancels the token.
  clock_.sleep_until(deadline ? *deadline : clock_.now() + std::chrono::hours(24), wake);
  lock.lock();
  waiting_until_.reset();
}

void BatchSink::run() {
  std::unique_lock lock(mu_);
  while (true) {
    if (pending_.empty()) {
      if (stopping_) return;
      sleep(lock, std::nullopt);
      continue;
    }
    if (!due(clock_.now())) {
      sleep(lock, oldest_ + options_.max_age);
      continue;
    }
    std::vector<Entry> batch;
    batch.swap(pending_);
    pending_records_ = 0;
    pending_bytes_ = 0;
    pending_jobs_ = 0;
    const uint64_t last = batch.back().seq;
    lock.unlock();
    space_cv_.notify_all();
    commit(batch);
    lock.lock();
    handled_seq_ = last;
    done_cv_.notify_all();
  }
}

void BatchSink::commit(std::vector<Entry>& entries) {
  {
    std::unique_lock lock(mu_);
    if (!unusable_.empty()) {
      // After a FATAL error nothing more is committed, even if the storage recovers before
      // the process stops: a later page's checkpoint must not skip a page that was lost.
      const std::string why = unusable_;
      lock.unlock();
      give_up(entries, why);
      return;
    }
  }
  for (int attempt = 1;; ++attempt) {
    std::string error;
    cs_status status = CS_RETRY;
    if (try_commit(entries, error, status)) return;
    if (status == CS_FATAL) {
      {
        std::lock_guard lock(mu_);
        unusable_ = error;
      }
      give_up(entries, error);
      return;
    }
    if (status == CS_PERMANENT) {
      if (entries.size() == 1) {
        give_up(entries, error);
        return;
      }
      // Find the bad unit(s) by committing each alone, in order.
      for (auto& e : entries) {
        std::vector<Entry> one;
        one.push_back(std::move(e));
        commit(one);
      }
      return;
    }
    if (stop_token_.cancelled() && attempt >= options_.shutdown_attempts) {
      give_up(entries, "storage unavailable at shutdown: " + error);
      return;
    }
    clock_.sleep_for(options_.retry.delay(attempt, random_.uniform()), stop_token_);
  }
}

bool BatchSink::try_commit(std::vector<Entry>& entries, std::string& error, cs_status& status) {
  const int64_t now = wall_ms(clock_);
  sdk::WriteBatch batch;
  batch.now_ms = now;
  // Records go in unit order: the storage keeps the last of a (kind, key), so the newest
  // wins as it would have in sequence (the write_batch contract in abi.h).
  std::vector<size_t> transition_of(entries.size(), SIZE_MAX);
  std::vector<size_t> first_job(entries.size(), 0);
  for (size_t u = 0; u < entries.size(); ++u) {
    const BatchUnit& unit = entries[u].unit;
    for (const auto& r : unit.records) {
      batch.records.push_back(sdk::StoredRecord{r.kind, r.key, r.parent_key, r.source, r.core_json,
                                                r.raw_json, r.content_hash});
    }
    for (const auto& q : unit.quarantine) {
      batch.quarantine.push_back(sdk::QuarantineItem{q.at_ms, q.source, q.job_type, q.job_key,
                                                     q.reason, q.json_path, q.raw_item,
                                                     q.request_id});
    }
    for (const auto& c : unit.cursors) batch.cursors.push_back(sdk::CursorUpdate{c.name, c.value});
    first_job[u] = batch.jobs.size();
    for (const auto& j : unit.jobs) batch.jobs.push_back(jobs_.spec(j, now));
    if (unit.transition) {
      transition_of[u] = batch.transitions.size();
      batch.transitions.push_back(unit.transition->view());
    }
  }

  sdk::WriteResult result;
  const auto started = clock_.now();
  try {
    result = storage_.write_batch(batch);
  } catch (const StorageError& e) {
    error = e.what();
    status = e.status();
  } catch (const std::exception& e) {
    error = e.what();
    status = CS_RETRY;
  }
  if (!error.empty()) {
    std::lock_guard lock(mu_);
    stats_.failed_attempts += 1;
    stats_.last_error = error;
    return false;
  }

  {
    std::lock_guard lock(mu_);
    stats_.batches += 1;
    stats_.units_committed += static_cast<int64_t>(entries.size());
    const double seconds = std::chrono::duration<double>(clock_.now() - started).count();
    size_t bucket = 0;
    while (bucket < Stats::kFlushBuckets.size() && seconds > Stats::kFlushBuckets[bucket]) ++bucket;
    stats_.flush_buckets[bucket] += 1;
    stats_.flush_seconds_sum += seconds;
    add_counts(stats_.counts, result.counts);
  }
  for (size_t u = 0; u < entries.size(); ++u) {
    UnitOutcome outcome;
    outcome.committed = true;
    if (transition_of[u] != SIZE_MAX && transition_of[u] < result.transition_applied.size()) {
      outcome.transition_applied = result.transition_applied[transition_of[u]];
    }
    const size_t n = entries[u].unit.jobs.size();
    for (size_t j = 0; j < n && first_job[u] + j < result.jobs.size(); ++j) {
      outcome.jobs.push_back(result.jobs[first_job[u] + j]);
    }
    notify(entries[u].on_done, outcome);
  }
  return true;
}

void BatchSink::give_up(std::vector<Entry>& entries, const std::string& error) {
  {
    std::lock_guard lock(mu_);
    stats_.units_failed += static_cast<int64_t>(entries.size());
  }
  UnitOutcome outcome;
  outcome.error = error;
  for (auto& e : entries) notify(e.on_done, outcome);
}

}  // namespace cardsync::queue
