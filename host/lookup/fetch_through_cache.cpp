#include "lookup/fetch_through_cache.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "queue/new_job.hpp"
#include "resilience/daily_quota.hpp"

namespace cardsync::lookup {
namespace {

pipeline::PipelineParts with_deadline(pipeline::PipelineParts parts,
                                      std::chrono::milliseconds deadline) {
  // A lookup's fetch holds a caller, not a worker: no call outlasts the lookup's deadline
  // (and the job runner clips each to what is left of it).
  parts.call_deadline = deadline;
  parts.on_new_jobs = nullptr;
  return parts;
}

Clock::WallTime wall_of_ms(std::int64_t ms) {
  return Clock::WallTime(
      std::chrono::duration_cast<Clock::WallTime::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace

FetchThroughCache::FetchThroughCache(pipeline::PipelineParts parts,
                                     std::shared_ptr<plugin::ProviderRuntime> provider,
                                     plugin::LookupKind kind, LookupOptions options)
    : parts_(with_deadline(std::move(parts), options.deadline)),
      provider_(std::move(provider)),
      kind_(std::move(kind)),
      options_(options),
      runner_(parts_) {
  if (!provider_ || !provider_->serves(kind_.job_type)) {
    throw std::invalid_argument("a lookup cache needs a provider serving " + kind_.job_type);
  }
}

std::int64_t FetchThroughCache::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             parts_.clock.wall().time_since_epoch())
      .count();
}

LookupAnswer FetchThroughCache::answer(const std::string& key) const {
  LookupAnswer a;
  a.provider = std::string(provider_->name());
  a.kind = kind_.name;
  a.key = key;
  return a;
}

LookupAnswer FetchThroughCache::lookup(const std::string& key, std::string_view request_id) {
  if (auto a = cached(key, request_id)) return *a;
  return fetch(key, request_id, parts_.clock.now() + options_.deadline);
}

std::optional<LookupAnswer> FetchThroughCache::cached(const std::string& key,
                                                      std::string_view request_id) {
  try {
    auto a = from_cache(key);
    if (a && a->status == LookupStatus::stale) a->job_id = refresh(key, request_id);
    return a;
  } catch (const std::exception& e) {
    parts_.logger.error("lookup failed", request_id,
                        {{"provider", provider_->name()}, {"key", key}, {"error", e.what()}});
    LookupAnswer a = answer(key);
    a.status = LookupStatus::unavailable;
    a.message = std::string("the lookup cache cannot be read: ") + e.what();
    return a;
  }
}

std::optional<LookupAnswer> FetchThroughCache::from_cache(const std::string& key) {
  auto entry = parts_.storage.read_cursor_entry(pipeline::sync_cursor_name(kind_.job_type, key));
  if (!entry) return std::nullopt;
  const auto age =
      std::chrono::milliseconds(std::max<std::int64_t>(0, now_ms() - entry->updated_at_ms));
  LookupAnswer a = answer(key);
  a.age = age;
  a.fetched_at = wall_of_ms(entry->updated_at_ms);
  // An invalid key is remembered as long as a not-found: an upstream's "invalid" may as well
  // mean "not yet", so it deserves no longer memory.
  if (entry->value == CS_LOOKUP_NOT_FOUND || entry->value == CS_LOOKUP_INVALID) {
    if (age >= options_.not_found_ttl) return std::nullopt;
    const bool not_found = entry->value == CS_LOOKUP_NOT_FOUND;
    a.status = not_found ? LookupStatus::not_found : LookupStatus::invalid;
    a.message = not_found ? a.provider + " has no " + kind_.name + " " + key
                          : a.provider + " calls " + key + " an invalid " + kind_.name;
    return a;
  }
  // The item may be stored under the provider's own key rather than the lookup's (abi.h).
  constexpr std::string_view kFoundAs = CS_LOOKUP_FOUND_AS_PREFIX;
  std::string record_key = key;
  if (entry->value.rfind(kFoundAs, 0) == 0 && entry->value.size() > kFoundAs.size()) {
    record_key = entry->value.substr(kFoundAs.size());
  } else if (entry->value != CS_LOOKUP_FOUND) {
    return std::nullopt;
  }

  sdk::RecordQuery q;
  q.kind = kind_.record_kind;
  q.key = record_key;
  auto rows = parts_.storage.read_records(q);
  if (rows.empty()) return std::nullopt;  // the records are gone: fetch again
  a.core_json = std::move(rows.front().core_json);
  if (kind_.child_kind != 0) {
    a.child_field = kind_.child_field;
    sdk::RecordQuery cq;
    cq.kind = kind_.child_kind;
    cq.parent_key = record_key;
    for (auto& row : parts_.storage.read_records(cq)) {
      a.children_json.push_back(std::move(row.core_json));
    }
  }
  a.status = age < options_.ttl ? LookupStatus::fresh : LookupStatus::stale;
  return a;
}

std::optional<std::int64_t> FetchThroughCache::refresh(const std::string& key,
                                                       std::string_view request_id) {
  const auto now = parts_.clock.now();
  // Held across the enqueue so a burst of stale lookups of one key writes one job.
  std::lock_guard lock(refresh_mu_);
  if (auto it = refreshing_.find(key);
      it != refreshing_.end() && now - it->second.at < options_.refresh_guard) {
    return it->second.job_id;
  }
  queue::NewJob job;
  job.type = kind_.job_type;
  job.key = key;
  job.request_id = std::string(request_id);
  const auto r = parts_.queue.enqueue(job);
  if (!r.duplicate) {
    parts_.logger.info("stale lookup: refresh queued", request_id,
                       {{"provider", provider_->name()}, {"key", key}, {"job_id", r.id}});
  }
  if (refreshing_.size() > 4096) {
    std::erase_if(refreshing_,
                  [&](const auto& kv) { return now - kv.second.at >= options_.refresh_guard; });
  }
  refreshing_[key] = Refresh{r.id, now};
  return r.id;
}

LookupAnswer FetchThroughCache::fetch(const std::string& key, std::string_view request_id,
                                      Clock::SteadyTime deadline) {
  std::promise<LookupAnswer> promise;
  std::shared_future<LookupAnswer> shared;
  {
    std::lock_guard lock(flights_mu_);
    if (auto it = flights_.find(key); it != flights_.end()) {
      shared = it->second;
    } else {
      flights_.emplace(key, promise.get_future().share());
    }
  }
  // Someone is fetching this key already: their answer is ours (bounded by their deadline).
  if (shared.valid()) return shared.get();

  LookupAnswer a = answer(key);
  try {
    // A fetch that ended between our cache read and our registration has stored the item:
    // its flight is gone, but its data is there.
    if (auto cached = from_cache(key)) {
      a = *cached;
    } else {
      a = fetch_now(key, request_id, deadline);
    }
  } catch (const std::exception& e) {
    a.status = LookupStatus::unavailable;
    a.message = std::string("the item could not be fetched: ") + e.what();
  } catch (...) {
    // Followers wait on this flight's answer: it must be set whatever happened.
    a.status = LookupStatus::unavailable;
    a.message = "the item could not be fetched";
  }
  {
    std::lock_guard lock(flights_mu_);
    flights_.erase(key);
  }
  promise.set_value(a);
  return a;
}

std::optional<FetchThroughCache::Blocked> FetchThroughCache::blocked() {
  ResilientClient& client = parts_.client;
  const std::string service(provider_->service());
  if (CircuitBreaker* breaker = client.breakers().find(service)) {
    if (auto until = breaker->open_until()) {
      const auto ahead = *until > parts_.clock.now() ? *until - parts_.clock.now()
                                                     : Clock::SteadyTime::duration::zero();
      return Blocked{
          parts_.clock.wall() + std::chrono::duration_cast<Clock::WallTime::duration>(ahead),
          service + " is failing and its circuit breaker is open"};
    }
  }
  // Reading what is left spends nothing; the job itself takes its calls from the same quota.
  if (auto remaining = client.pacer(service).daily_remaining(); remaining && *remaining <= 0) {
    return Blocked{DailyQuota::next_reset(parts_.clock.wall()),
                   "today's " + service + " call quota is spent; it resets at 00:00 UTC"};
  }
  return std::nullopt;
}

LookupAnswer FetchThroughCache::queued(const std::string& key, std::int64_t job_id,
                                       Clock::WallTime retry_at, const std::string& message) const {
  LookupAnswer a = answer(key);
  a.status = LookupStatus::queued;
  a.job_id = job_id;
  a.retry_at = retry_at;
  a.message = "not available yet, queued as job #" + std::to_string(job_id) + ": " + message;
  return a;
}

LookupAnswer FetchThroughCache::fetch_now(const std::string& key, std::string_view request_id,
                                          Clock::SteadyTime deadline) {
  queue::NewJob job;
  job.type = kind_.job_type;
  job.key = key;
  job.request_id = std::string(request_id);

  if (provider_->disabled()) {
    const auto r = parts_.queue.enqueue(job);
    LookupAnswer a = answer(key);
    a.status = LookupStatus::unavailable;
    a.job_id = r.id;
    a.message = "the " + a.provider + " provider is stopped (" + provider_->disabled_reason() +
                "); the lookup is queued as job #" + std::to_string(r.id);
    return a;
  }
  if (auto b = blocked()) {
    // Queued to run when the call can be made, so a worker does not claim it just to snooze.
    // Rounded up, so the job is not due a fraction of a millisecond before it can run.
    const auto delay = std::chrono::ceil<std::chrono::milliseconds>(b->until - parts_.clock.wall());
    job.delay = std::max(delay, std::chrono::milliseconds(0));
    const auto r = parts_.queue.enqueue(job);
    parts_.logger.info(
        "lookup queued: upstream not callable now", request_id,
        {{"provider", provider_->name()}, {"key", key}, {"job_id", r.id}, {"reason", b->reason}});
    return queued(key, r.id, b->until, b->reason);
  }

  const auto r = parts_.queue.enqueue(job);
  run_until_settled(r.id, deadline);
  LookupAnswer a = settle(key, r.id, deadline);
  a.fetched_now = true;
  return a;
}

void FetchThroughCache::run_until_settled(std::int64_t job_id, Clock::SteadyTime deadline) {
  const std::vector<std::string> types{kind_.job_type};
  while (parts_.clock.now() < deadline) {
    // Claimed in queue order, like a worker: a due job of another key ahead of ours is run
    // too (it was waiting longer), then ours.
    auto claimed = parts_.queue.claim(1, types);
    if (!claimed.empty()) {
      const std::int64_t id = claimed.front().id;
      // The lookup's deadline bounds every call of the job, not each one by itself.
      runner_.run(*provider_, std::move(claimed.front()), never_, deadline);
      parts_.sink.flush();
      if (id == job_id) return;
      continue;
    }
    auto job = parts_.queue.find(job_id);
    // Done, failed, or queued for later (a retry, a snooze): nothing more to wait for now.
    if (!job || job->state != sdk::JobState::processing) return;
    // Another worker or process runs it: wait for its result.
    const auto left = deadline - parts_.clock.now();
    parts_.clock.sleep_for(std::min<Clock::SteadyTime::duration>(options_.poll, left), never_);
  }
}

LookupAnswer FetchThroughCache::settle(const std::string& key, std::int64_t job_id,
                                       Clock::SteadyTime deadline) {
  if (auto cached = from_cache(key)) return *cached;
  auto job = parts_.queue.find(job_id);
  const auto wall = parts_.clock.wall();
  if (!job) {
    return queued(key, job_id, wall + options_.deadline, "the job is no longer in the queue");
  }
  const bool out_of_time = parts_.clock.now() >= deadline;
  const std::string last_error = job->errors.empty() ? std::string() : job->errors.back().message;
  switch (job->state) {
    case sdk::JobState::queued:
      return queued(key, job_id, std::max(wall, wall_of_ms(job->run_at_ms)),
                    !last_error.empty() ? last_error
                    : out_of_time
                        ? std::string(provider_->service()) + " did not finish within the " +
                              std::to_string(options_.deadline.count()) +
                              " ms lookup deadline; a worker finishes it"
                        : "waiting to run");
    case sdk::JobState::processing:
      return queued(key, job_id, wall + options_.deadline,
                    std::string(provider_->service()) + " has not answered within " +
                        std::to_string(options_.deadline.count()) + " ms; still fetching");
    case sdk::JobState::failed: {
      // The provider turns every answer that means "no such item" or "not a key" into a
      // completion; a failed job is a failure.
      LookupAnswer a = answer(key);
      a.status = LookupStatus::unavailable;
      a.job_id = job_id;
      a.message = last_error;
      return a;
    }
    case sdk::JobState::done:
      break;
  }
  LookupAnswer a = answer(key);
  a.status = LookupStatus::unavailable;
  a.job_id = job_id;
  a.message =
      std::string(provider_->service()) + " answered but nothing was stored for the " + kind_.name;
  return a;
}

}  // namespace cardsync::lookup
