#pragma once
// A whole sync run in the test process with only what the host contract promises a provider:
// plan, then for each job start and one handle per response; a follow-up job runs once per
// (type, key); a RETRY (or a transport failure) sends the same request again; a checkpoint
// cursor is what a resumed job starts from. The HTTP requests are sent here with libcurl,
// outside the provider calls, which run under an IoGuard.

#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "provider_driver.hpp"

namespace cardsync::conformance {

struct SyncOptions {
  // After the first page of every job that has more pages, throw the job away and start a
  // new one from the checkpoint it emitted, as the host does after a crash.
  bool resume_after_first_page = false;
  int max_attempts = 60;           // sends of one request before the sync gives up
  int transient_retries = 8;       // 429/5xx answers absorbed before the provider sees one
  long request_timeout_ms = 2000;  // a hung request is abandoned and sent again
  std::function<void()> on_retry;  // e.g. advance a virtual clock past an outage
};

struct SyncOutcome {
  // Last record per (kind, key), as the host's sink keeps it.
  std::map<std::pair<int, std::string>, EmittedRecord> records;
  std::set<std::tuple<std::string, std::string, std::string>> rejected;  // reason, path, raw
  std::vector<std::string> failures;  // jobs that failed (PERMANENT, FATAL, too many tries)
  std::vector<std::string> undeclared_job_types;
  std::vector<std::string> bad_requests;  // not an absolute http(s) URL
  int requests_sent = 0;
  int retried = 0;
  int resumed = 0;                // jobs restarted from their checkpoint
  int resumed_elsewhere = 0;      // ... whose first request was not the next page
  std::map<std::string, int> io;  // I/O calls made inside provider calls

  std::map<int, std::uint64_t> counts() const;
};

// GET `url` with the test's own client (never counted as the provider's I/O); the body, or
// an empty string when the request failed.
std::string http_get(const std::string& url);

SyncOutcome run_sync(ProviderDriver& provider, const std::string& plan_spec,
                     const SyncOptions& options = {});

}  // namespace cardsync::conformance
