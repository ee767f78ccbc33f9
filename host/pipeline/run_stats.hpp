#pragma once
// Counters of one process's work, for the run summary and progress lines. Lock-free: bumped
// from worker threads and resilience callbacks, read by the reporter.

#include <atomic>
#include <cstdint>
#include <string_view>

#include "pipeline/http_request_counters.hpp"
#include "pipeline/labelled_counters.hpp"

namespace cardsync::pipeline {

struct RunStats {
  std::atomic<int64_t> jobs_started{0};
  std::atomic<int64_t> jobs_completed{0};
  std::atomic<int64_t> jobs_failed{0};    // failed for good (permanent or attempts spent)
  std::atomic<int64_t> jobs_retrying{0};  // attempt failed, retry scheduled
  std::atomic<int64_t> jobs_snoozed{0};   // throttled, breaker open or quota: no attempt spent
  std::atomic<int64_t> jobs_released{0};  // in flight at shutdown: queued again, no attempt spent
  std::atomic<int64_t> requests{0};       // HTTP attempts that reached the transport
  std::atomic<int64_t> retries{0};
  std::atomic<int64_t> throttles{0};
  std::atomic<int64_t> breaker_opens{0};
  std::atomic<int64_t> records_emitted{0};
  std::atomic<int64_t> quarantined{0};
  std::atomic<int64_t> stale_transitions{0};  // fenced: the job had been rescued meanwhile
  HttpRequestCounters http_requests;          // attempts by service and status (/metrics)
  // The counters above by service, for /metrics (a shop alerts on one service's trouble).
  LabelledCounters retries_by_service;        // {service}
  LabelledCounters throttles_by_service;      // {service, reason}
  LabelledCounters breaker_opens_by_service;  // {service}
  // {event, service, job type}; event is one of the job_event names below.
  LabelledCounters job_events;
};

// The events of job_events: the jobs_* and the records_emitted and quarantined counters above.
namespace job_event {
inline constexpr std::string_view started = "started";
inline constexpr std::string_view completed = "completed";
inline constexpr std::string_view failed = "failed";
inline constexpr std::string_view retried = "retried";
inline constexpr std::string_view snoozed = "snoozed";
inline constexpr std::string_view records_emitted = "records_emitted";
inline constexpr std::string_view quarantined = "quarantined";
}  // namespace job_event

}  // namespace cardsync::pipeline
