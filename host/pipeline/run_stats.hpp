#pragma once
// Counters of one process's work, for the run summary and progress lines. Lock-free: bumped
// from worker threads and resilience callbacks, read by the reporter.

#include <atomic>
#include <cstdint>

#include "pipeline/http_request_counters.hpp"

namespace cardsync::pipeline {

struct RunStats {
  std::atomic<int64_t> jobs_started{0};
  std::atomic<int64_t> jobs_completed{0};
  std::atomic<int64_t> jobs_failed{0};    // failed for good (permanent or attempts spent)
  std::atomic<int64_t> jobs_retrying{0};  // attempt failed, retry scheduled
  std::atomic<int64_t> jobs_snoozed{0};   // throttled, breaker open or quota: no attempt spent
  std::atomic<int64_t> requests{0};       // HTTP attempts that reached the transport
  std::atomic<int64_t> retries{0};
  std::atomic<int64_t> throttles{0};
  std::atomic<int64_t> breaker_opens{0};
  std::atomic<int64_t> records_emitted{0};
  std::atomic<int64_t> quarantined{0};
  std::atomic<int64_t> stale_transitions{0};  // fenced: the job had been rescued meanwhile
  HttpRequestCounters http_requests;          // attempts by service and status (/metrics)
};

}  // namespace cardsync::pipeline
