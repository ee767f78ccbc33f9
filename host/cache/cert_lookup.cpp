#include "cache/cert_lookup.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "cache/cert_number.hpp"
#include "queue/new_job.hpp"
#include "resilience/daily_quota.hpp"

namespace cardsync::cache {
namespace {

// The provider's final cursors (plugins/psa/README.md).
constexpr std::string_view kFound = "found";
constexpr std::string_view kNotFound = "not_found";
constexpr std::string_view kInvalid = "invalid";

pipeline::PipelineParts with_deadline(pipeline::PipelineParts parts,
                                      std::chrono::milliseconds deadline) {
  // A lookup's fetch holds a caller, not a worker: its calls end at the lookup's deadline.
  parts.call_deadline = deadline;
  parts.on_new_jobs = nullptr;
  return parts;
}

Clock::WallTime wall_of_ms(std::int64_t ms) {
  return Clock::WallTime(
      std::chrono::duration_cast<Clock::WallTime::duration>(std::chrono::milliseconds(ms)));
}

std::optional<std::int64_t> image_count(const rapidjson::Document& core) {
  if (!core.IsObject()) return std::nullopt;
  auto it = core.FindMember("image_count");
  if (it == core.MemberEnd() || !it->value.IsInt64()) return std::nullopt;
  return it->value.GetInt64();
}

}  // namespace

CertLookup::CertLookup(pipeline::PipelineParts parts,
                       std::shared_ptr<plugin::ProviderRuntime> provider, CertCacheOptions options)
    : parts_(with_deadline(std::move(parts), options.deadline)),
      provider_(std::move(provider)),
      options_(std::move(options)),
      runner_(parts_) {
  if (!provider_ || !provider_->serves(options_.job_type)) {
    throw std::invalid_argument("the cert cache needs a provider serving " + options_.job_type);
  }
}

std::int64_t CertLookup::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             parts_.clock.wall().time_since_epoch())
      .count();
}

CertAnswer CertLookup::lookup(std::string_view raw_cert, std::string_view request_id) {
  NormalisedCert n = normalise_cert(raw_cert);
  if (!n.digits) {
    CertAnswer a;
    a.status = CertStatus::invalid;
    a.message = n.problem;
    return a;
  }
  const std::string& cert = *n.digits;
  try {
    if (auto cached = from_cache(cert)) {
      if (cached->status == CertStatus::stale) cached->job_id = refresh(cert, request_id);
      return *cached;
    }
    return fetch(cert, request_id);
  } catch (const std::exception& e) {
    parts_.logger.error("cert lookup failed", request_id, {{"cert", cert}, {"error", e.what()}});
    CertAnswer a;
    a.status = CertStatus::unavailable;
    a.cert = cert;
    a.message = std::string("the cert cache cannot be read: ") + e.what();
    return a;
  }
}

std::optional<CertAnswer> CertLookup::from_cache(const std::string& cert) {
  auto entry =
      parts_.storage.read_cursor_entry(pipeline::sync_cursor_name(options_.job_type, cert));
  if (!entry) return std::nullopt;
  const auto age =
      std::chrono::milliseconds(std::max<std::int64_t>(0, now_ms() - entry->updated_at_ms));
  CertAnswer a;
  a.cert = cert;
  a.age = age;
  a.fetched_at = wall_of_ms(entry->updated_at_ms);
  if (entry->value == kNotFound) {
    if (age >= options_.not_found_ttl) return std::nullopt;
    a.status = CertStatus::not_found;
    a.message = "PSA has no cert " + cert;
    return a;
  }
  // Remembered as long as a not-found: PSA's 404 (one of the answers that mean invalid) may
  // as well mean "not yet", so it deserves no longer memory than a "No data found".
  if (entry->value == kInvalid) {
    if (age >= options_.not_found_ttl) return std::nullopt;
    a.status = CertStatus::invalid;
    a.message = "PSA calls " + cert + " an invalid cert number";
    return a;
  }
  if (entry->value != kFound) return std::nullopt;

  sdk::RecordQuery q;
  q.kind = CS_RECORD_GRADED_CERT;
  q.key = cert;
  auto rows = parts_.storage.read_records(q);
  if (rows.empty()) return std::nullopt;  // the records are gone: fetch again
  a.cert_json = rows.front().core_json;
  rapidjson::Document core;
  core.Parse(a.cert_json->data(), a.cert_json->size());

  sdk::RecordQuery iq;
  iq.kind = CS_RECORD_CERT_IMAGE;
  iq.parent_key = cert;
  for (auto& row : parts_.storage.read_records(iq)) {
    rapidjson::Document image;
    image.Parse(row.core_json.data(), row.core_json.size());
    if (image.HasParseError() || !image.IsObject() || !image.HasMember("side") ||
        !image["side"].IsString() || !image.HasMember("url") || !image["url"].IsString()) {
      continue;
    }
    a.images.push_back({image["side"].GetString(), image["url"].GetString()});
  }
  // Keys sort "<cert>/back" before "<cert>/front"; people expect the front first.
  std::stable_sort(a.images.begin(), a.images.end(), [](const CertImage& x, const CertImage& y) {
    return x.side == "front" && y.side != "front";
  });
  a.no_images = image_count(core).value_or(static_cast<std::int64_t>(a.images.size())) == 0;
  a.status = age < options_.ttl ? CertStatus::fresh : CertStatus::stale;
  return a;
}

std::optional<std::int64_t> CertLookup::refresh(const std::string& cert,
                                                std::string_view request_id) {
  const auto now = parts_.clock.now();
  // Held across the enqueue so a burst of stale lookups of one cert writes one job.
  std::lock_guard lock(refresh_mu_);
  if (auto it = refreshing_.find(cert);
      it != refreshing_.end() && now - it->second.at < options_.refresh_guard) {
    return it->second.job_id;
  }
  queue::NewJob job;
  job.type = options_.job_type;
  job.key = cert;
  job.request_id = std::string(request_id);
  const auto r = parts_.queue.enqueue(job);
  if (!r.duplicate) {
    parts_.logger.info("stale cert: refresh queued", request_id,
                       {{"cert", cert}, {"job_id", r.id}});
  }
  if (refreshing_.size() > 4096) {
    std::erase_if(refreshing_,
                  [&](const auto& kv) { return now - kv.second.at >= options_.refresh_guard; });
  }
  refreshing_[cert] = Refresh{r.id, now};
  return r.id;
}

CertAnswer CertLookup::fetch(const std::string& cert, std::string_view request_id) {
  std::promise<CertAnswer> promise;
  std::shared_future<CertAnswer> shared;
  {
    std::lock_guard lock(flights_mu_);
    if (auto it = flights_.find(cert); it != flights_.end()) {
      shared = it->second;
    } else {
      flights_.emplace(cert, promise.get_future().share());
    }
  }
  // Someone is fetching this cert already: their answer is ours (bounded by their deadline).
  if (shared.valid()) return shared.get();

  CertAnswer answer;
  try {
    // A fetch that ended between our cache read and our registration has stored the cert:
    // its flight is gone, but its data is there.
    if (auto cached = from_cache(cert)) {
      answer = *cached;
    } else {
      answer = fetch_now(cert, request_id);
    }
  } catch (const std::exception& e) {
    answer.status = CertStatus::unavailable;
    answer.cert = cert;
    answer.message = std::string("the cert could not be fetched: ") + e.what();
  } catch (...) {
    // Followers wait on this flight's answer: it must be set whatever happened.
    answer.status = CertStatus::unavailable;
    answer.cert = cert;
    answer.message = "the cert could not be fetched";
  }
  {
    std::lock_guard lock(flights_mu_);
    flights_.erase(cert);
  }
  promise.set_value(answer);
  return answer;
}

std::optional<CertLookup::Blocked> CertLookup::blocked() {
  ResilientClient& client = parts_.client;
  const std::string_view service = provider_->service();
  if (CircuitBreaker* breaker = client.breakers().find(service)) {
    if (auto until = breaker->open_until()) {
      const auto ahead = *until > parts_.clock.now() ? *until - parts_.clock.now()
                                                     : Clock::SteadyTime::duration::zero();
      return Blocked{
          parts_.clock.wall() + std::chrono::duration_cast<Clock::WallTime::duration>(ahead),
          "PSA is failing and its circuit breaker is open"};
    }
  }
  // Reading what is left spends nothing; the job itself takes its calls from the same quota.
  if (auto remaining = client.pacer(service).daily_remaining(); remaining && *remaining <= 0) {
    return Blocked{DailyQuota::next_reset(parts_.clock.wall()),
                   "today's PSA call quota is spent; it resets at 00:00 UTC"};
  }
  return std::nullopt;
}

CertAnswer CertLookup::queued(const std::string& cert, std::int64_t job_id,
                              Clock::WallTime retry_at, const std::string& message) const {
  CertAnswer a;
  a.status = CertStatus::queued;
  a.cert = cert;
  a.job_id = job_id;
  a.retry_at = retry_at;
  a.message = "not available yet, queued as job #" + std::to_string(job_id) + ": " + message;
  return a;
}

CertAnswer CertLookup::fetch_now(const std::string& cert, std::string_view request_id) {
  queue::NewJob job;
  job.type = options_.job_type;
  job.key = cert;
  job.request_id = std::string(request_id);

  if (provider_->disabled()) {
    const auto r = parts_.queue.enqueue(job);
    CertAnswer a;
    a.status = CertStatus::unavailable;
    a.cert = cert;
    a.job_id = r.id;
    a.message = "the psa provider is stopped (" + provider_->disabled_reason() +
                "); the lookup is queued as job #" + std::to_string(r.id);
    return a;
  }
  if (auto b = blocked()) {
    // Queued to run when the call can be made, so a worker does not claim it just to snooze.
    // Rounded up, so the job is not due a fraction of a millisecond before it can run.
    const auto delay = std::chrono::ceil<std::chrono::milliseconds>(b->until - parts_.clock.wall());
    job.delay = std::max(delay, std::chrono::milliseconds(0));
    const auto r = parts_.queue.enqueue(job);
    parts_.logger.info("cert lookup queued: upstream not callable now", request_id,
                       {{"cert", cert}, {"job_id", r.id}, {"reason", b->reason}});
    return queued(cert, r.id, b->until, b->reason);
  }

  const auto r = parts_.queue.enqueue(job);
  run_until_settled(r.id, parts_.clock.now() + options_.deadline);
  CertAnswer a = settle(cert, r.id);
  a.fetched_now = true;
  return a;
}

void CertLookup::run_until_settled(std::int64_t job_id, Clock::SteadyTime deadline) {
  const std::vector<std::string> types{options_.job_type};
  while (parts_.clock.now() < deadline) {
    // Claimed in queue order, like a worker: a due job of another cert ahead of ours is run
    // too (it was waiting longer), then ours.
    auto claimed = parts_.queue.claim(1, types);
    if (!claimed.empty()) {
      const std::int64_t id = claimed.front().id;
      runner_.run(*provider_, std::move(claimed.front()), never_);
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

CertAnswer CertLookup::settle(const std::string& cert, std::int64_t job_id) {
  if (auto cached = from_cache(cert)) return *cached;
  auto job = parts_.queue.find(job_id);
  const auto wall = parts_.clock.wall();
  if (!job) {
    return queued(cert, job_id, wall + options_.deadline, "the job is no longer in the queue");
  }
  const std::string last_error = job->errors.empty() ? std::string() : job->errors.back().message;
  const int last_status = job->errors.empty() ? 0 : job->errors.back().http_status;
  switch (job->state) {
    case sdk::JobState::queued:
      return queued(cert, job_id, std::max(wall, wall_of_ms(job->run_at_ms)),
                    last_error.empty() ? "waiting to run" : last_error);
    case sdk::JobState::processing:
      return queued(cert, job_id, wall + options_.deadline,
                    "PSA has not answered within " + std::to_string(options_.deadline.count()) +
                        " ms; still fetching");
    case sdk::JobState::failed: {
      CertAnswer a;
      a.cert = cert;
      a.job_id = job_id;
      a.message = last_error;
      const bool invalid = last_status == 204 || last_status == 400 || last_status == 404;
      a.status = invalid ? CertStatus::invalid : CertStatus::unavailable;
      if (provider_->disabled()) a.status = CertStatus::unavailable;
      return a;
    }
    case sdk::JobState::done:
      break;
  }
  CertAnswer a;
  a.status = CertStatus::unavailable;
  a.cert = cert;
  a.job_id = job_id;
  a.message = "PSA answered but nothing was stored for the cert";
  return a;
}

}  // namespace cardsync::cache
