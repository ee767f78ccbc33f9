#include "pipeline/job_runner.hpp"

#include <algorithm>
#include <deque>

#include "http/url_scope.hpp"
#include "resilience/daily_quota.hpp"
#include "resilience/retry_after.hpp"

namespace cardsync::pipeline {
namespace {

// How long a 429 without Retry-After snoozes a job, when the provider saw it (a service with
// a daily quota) and reported no spent quota: long enough for a per-minute limit to refill.
constexpr std::chrono::seconds kThrottleSnooze{60};

bool has_content(const plugin::ProviderOutput& o) {
  return !o.records.empty() || !o.rejects.empty() || !o.jobs.empty() || o.cursor.has_value();
}

}  // namespace

std::string sync_cursor_name(std::string_view job_type, std::string_view job_key) {
  std::string name(job_type);
  name += '/';
  name += job_key;
  return name;
}

void JobRunner::run(plugin::ProviderRuntime& provider, queue::StoredJob job,
                    const CancellationToken& cancel, std::optional<Clock::SteadyTime> deadline) {
  p_.stats.jobs_started.fetch_add(1, std::memory_order_relaxed);
  p_.stats.job_events.add({job_event::started, provider.service(), job.type});
  // A new job resumes from where the last completed job of the same type and key ended.
  if (job.cursor.empty()) {
    try {
      if (auto stored = p_.storage.read_cursor(sync_cursor_name(job.type, job.key))) {
        job.cursor = std::move(*stored);
      }
    } catch (const queue::StorageError& e) {
      fail(provider, job, CS_RETRY, std::string("cannot read sync cursor: ") + e.what(), 0);
      return;
    }
  }

  plugin::ProviderResult r = provider.start(job);
  std::deque<HttpRequest> pending;
  std::string cursor = job.cursor;
  int last_status = 0;
  std::optional<std::chrono::seconds> retry_after;
  for (;;) {
    // Reported limits count even when the call then failed: a provider reports a spent quota
    // along with the error that says so (a 429 that means the day's quota is spent).
    if (r.output.rate_per_minute > 0) {
      p_.client.report_rate_limit(provider.service(),
                                  static_cast<double>(r.output.rate_per_minute));
    }
    if (r.output.remaining_today >= 0) {
      p_.client.report_daily_remaining(provider.service(), r.output.remaining_today);
    }
    if (r.status == CS_RETRY && throttled(provider, job, r.error, last_status, retry_after)) {
      return;
    }
    if (r.status != CS_OK) {
      fail(provider, job, r.status, r.error, last_status);
      return;
    }
    if (refused(provider, job, r.output.requests)) return;
    for (auto& q : r.output.requests) pending.push_back(std::move(q));
    r.output.requests.clear();
    if (r.output.cursor) {
      cursor = *r.output.cursor;
      job.cursor = cursor;  // the provider sees the checkpoint of the page before
    }

    if (pending.empty()) {
      commit(provider, job, r.output, p_.queue.complete_transition(job, cursor),
             {{sync_cursor_name(job.type, job.key), cursor}});
      return;
    }
    if (has_content(r.output)) {
      commit(provider, job, r.output, p_.queue.checkpoint_transition(job, cursor));
    }
    if (cancel.cancelled()) {
      release(provider, job);
      return;
    }
    if (deadline && p_.clock.now() >= *deadline) {
      snooze(provider, job, std::chrono::milliseconds(0), "released at the lookup's deadline");
      return;
    }

    HttpRequest request = std::move(pending.front());
    pending.pop_front();
    CallOptions call;
    call.service = provider.service();
    call.request_id = job.request_id;
    call.deadline = p_.clock.now() + p_.call_deadline;
    if (deadline) call.deadline = std::min(call.deadline, *deadline);
    call.cancel = cancel;
    CallOutcome outcome = p_.client.execute(request, call);

    if (auto* response = std::get_if<HttpResponse>(&outcome)) {
      last_status = response->status;
      retry_after.reset();
      if (auto header = response->headers.find("Retry-After")) {
        retry_after = parse_retry_after(*header, p_.clock.wall());
      }
      r = provider.handle(job, request, *response);
      continue;
    }
    if (auto* later = std::get_if<RetryLater>(&outcome)) {
      auto delay =
          std::chrono::duration_cast<std::chrono::milliseconds>(later->wall_at - p_.clock.wall());
      snooze(provider, job, std::max(delay, std::chrono::milliseconds(0)),
             std::string(to_string(later->reason)) + ": " + later->detail);
      return;
    }
    auto& failed = std::get<CallFailed>(outcome);
    if (failed.stop == StopReason::cancelled) {
      release(provider, job);
      return;
    }
    if (failed.last_response && failed.last_response->has_response()) {
      // The provider knows what this API's error answers mean (a 401 is bad credentials, a
      // a 200 whose body says "no such item" is a not-found): it classifies, the host acts.
      last_status = failed.last_response->status;
      r = provider.handle(job, request, *failed.last_response);
      if (r.status == CS_OK && failed.retryable) {
        fail(provider, job, CS_RETRY, describe(failed), last_status);
        return;
      }
      continue;
    }
    fail(provider, job, failed.retryable ? CS_RETRY : CS_PERMANENT, describe(failed),
         failed.last_cause.status);
    return;
  }
}

void JobRunner::commit(const plugin::ProviderRuntime& provider, const queue::StoredJob& job,
                       plugin::ProviderOutput& output, queue::TransitionSpec transition,
                       std::vector<queue::CursorEntry> cursors, bool at_shutdown) {
  queue::BatchUnit unit;
  const auto action = transition.action;
  const int64_t now = p_.queue.now_ms();
  p_.stats.records_emitted.fetch_add(static_cast<int64_t>(output.records.size()),
                                     std::memory_order_relaxed);
  p_.stats.quarantined.fetch_add(static_cast<int64_t>(output.rejects.size()),
                                 std::memory_order_relaxed);
  if (!output.records.empty()) {
    p_.stats.job_events.add({job_event::records_emitted, provider.service(), job.type},
                            static_cast<int64_t>(output.records.size()));
  }
  if (!output.rejects.empty()) {
    p_.stats.job_events.add({job_event::quarantined, provider.service(), job.type},
                            static_cast<int64_t>(output.rejects.size()));
  }
  unit.records = std::move(output.records);
  for (auto& reject : output.rejects) {
    unit.quarantine.push_back({now, std::string(provider.name()), job.type, job.key,
                               std::move(reject.reason), std::move(reject.json_path),
                               std::move(reject.raw_item), job.request_id});
  }
  unit.jobs = std::move(output.jobs);
  unit.cursors = std::move(cursors);
  unit.transition = std::move(transition);
  output = plugin::ProviderOutput{};

  p_.sink.add(
      std::move(unit), [this, action, at_shutdown, id = job.id, rid = job.request_id,
                        type = job.type, key = job.key, attempt = job.attempts,
                        service = std::string(provider.service())](const queue::UnitOutcome& o) {
        if (!o.committed) {
          // The job keeps its lease until it expires and is rescued: nothing is lost.
          p_.logger.error("could not store a job's results; it will be rescued and rerun", rid,
                          {{"job_id", id}, {"job_type", type}, {"error", o.error}});
          return;
        }
        if (!o.jobs.empty() && p_.on_new_jobs) p_.on_new_jobs();
        if (!o.transition_applied) {
          p_.stats.stale_transitions.fetch_add(1, std::memory_order_relaxed);
          p_.logger.warn("job was rescued by another worker meanwhile; this result was fenced off",
                         rid, {{"job_id", id}, {"job_type", type}});
          return;
        }
        switch (action) {
          case sdk::Action::complete:
            p_.stats.jobs_completed.fetch_add(1, std::memory_order_relaxed);
            p_.stats.job_events.add({job_event::completed, service, type});
            // Logged once the completion is committed and not fenced off: operators (and the
            // multi-worker test) count exactly one such line per job across all processes.
            p_.logger.info(
                "job done", rid,
                {{"job_id", id}, {"job_type", type}, {"job_key", key}, {"attempt", attempt}});
            break;
          case sdk::Action::fail:
            p_.stats.jobs_failed.fetch_add(1, std::memory_order_relaxed);
            p_.stats.job_events.add({job_event::failed, service, type});
            break;
          case sdk::Action::retry:
            p_.stats.jobs_retrying.fetch_add(1, std::memory_order_relaxed);
            p_.stats.job_events.add({job_event::retried, service, type});
            break;
          case sdk::Action::snooze:
            // A release is a snooze of zero to the queue (and to /metrics); the summary tells
            // the operator it apart from throttling.
            (at_shutdown ? p_.stats.jobs_released : p_.stats.jobs_snoozed)
                .fetch_add(1, std::memory_order_relaxed);
            p_.stats.job_events.add({job_event::snoozed, service, type});
            break;
          case sdk::Action::checkpoint:
            break;
        }
      });
}

void JobRunner::fail(plugin::ProviderRuntime& provider, const queue::StoredJob& job,
                     cs_status status, const std::string& message, int http_status) {
  queue::JobFailure failure;
  failure.message = message;
  failure.http_status = http_status;
  failure.request_id = job.request_id;
  failure.permanent = status != CS_RETRY;
  if (status == CS_FATAL) {
    failure.message = "provider '" + std::string(provider.name()) + "' stopped: " + message;
    if (provider.disable(message)) {
      p_.logger.error("provider stopped: its remaining jobs stay queued until this is fixed",
                      job.request_id, {{"provider", provider.name()}, {"reason", message}});
    }
  } else {
    p_.logger.warn(failure.permanent ? "job failed" : "job attempt failed; will retry",
                   job.request_id,
                   {{"job_id", job.id},
                    {"job_type", job.type},
                    {"job_key", job.key},
                    {"attempt", job.attempts},
                    {"status", http_status},
                    {"error", message}});
  }
  plugin::ProviderOutput none;
  commit(provider, job, none, p_.queue.failure_transition(job, failure));
}

bool JobRunner::refused(plugin::ProviderRuntime& provider, const queue::StoredJob& job,
                        const std::vector<HttpRequest>& requests) {
  for (const auto& request : requests) {
    auto why = provider.out_of_scope(request);
    if (!why) continue;
    // Not an upstream failure: nothing was sent, so no breaker, budget or pacer hears of it.
    p_.logger.error("refused a request outside the provider's base_url", job.request_id,
                    {{"provider", provider.name()},
                     {"url", url_without_query(request.url)},
                     {"base_url", provider.url_scope()->base_url()},
                     {"job_id", job.id},
                     {"job_type", job.type},
                     {"job_key", job.key}});
    fail(provider, job, CS_PERMANENT, *why, 0);
    return true;
  }
  return false;
}

bool JobRunner::throttled(const plugin::ProviderRuntime& provider, const queue::StoredJob& job,
                          const std::string& error, int http_status,
                          std::optional<std::chrono::seconds> retry_after) {
  // Nothing can be sent before the quota resets, so trying again sooner would only be
  // snoozed by the pacer: wait for the reset, without spending an attempt.
  if (auto left = p_.client.pacer(provider.service()).daily_remaining(); left && *left <= 0) {
    const auto wall = p_.clock.wall();
    // Rounded up: due a fraction of a millisecond before the reset, the job would be claimed
    // only to be snoozed again, and would say 23:59:59 as its time.
    const auto delay =
        std::chrono::ceil<std::chrono::milliseconds>(DailyQuota::next_reset(wall) - wall);
    snooze(provider, job, delay, "quota: " + error, http_status);
    return true;
  }
  // A 429 the provider calls retryable is throttling, not a fault of the job
  // (docs/job-queue.md, "Attempts, retries and snoozes").
  if (http_status == 429) {
    snooze(provider, job,
           std::chrono::duration_cast<std::chrono::milliseconds>(
               retry_after.value_or(kThrottleSnooze)),
           "throttled: " + error, http_status);
    return true;
  }
  return false;
}

void JobRunner::snooze(const plugin::ProviderRuntime& provider, const queue::StoredJob& job,
                       std::chrono::milliseconds delay, const std::string& reason,
                       int http_status) {
  plugin::ProviderOutput none;
  commit(provider, job, none, p_.queue.snooze_transition(job, delay, reason, http_status));
}

void JobRunner::release(const plugin::ProviderRuntime& provider, const queue::StoredJob& job) {
  plugin::ProviderOutput none;
  commit(provider, job, none,
         p_.queue.snooze_transition(job, std::chrono::milliseconds(0), "released at shutdown"), {},
         true);
}

}  // namespace cardsync::pipeline
