#pragma once
// PSA cert lookups with stale-while-revalidate, over the host's storage and pipeline:
//
//   fresh     the psa.cert/<cert> sync cursor is "found" and younger than ttl: answered from
//             storage; no upstream call.
//   stale     "found" but older: the stored data is answered at once, marked stale with its
//             age, and ONE refresh job is enqueued (queue dedup on (type, key), plus an
//             in-process guard so a burst of stale lookups does not even write).
//   not found the cursor is "not_found" and younger than not_found_ttl: answered without a
//             call.
//   invalid   the cursor is "invalid" (PSA called the number invalid) and younger than
//             not_found_ttl: answered invalid without a call.
//   missing   fetched now, within the deadline, by running the psa.cert job inline through
//             the same JobRunner, ResilientClient (pacing, breaker, retry) and batch sink the
//             workers use; concurrent lookups of one missing cert share one fetch
//             (single-flight). When the breaker is open or the daily quota is spent, nothing
//             is sent: the job is queued for when it can run, and the answer says when to ask
//             again. The quota is also spent when the provider says so (PSA's 429): the
//             fetch's job is snoozed until 00:00 UTC and the answer is queued until then.
//
// The provider writes the cursor: a completed psa.cert job ends with "found", "not_found"
// or "invalid", which the JobRunner stores as the sync cursor in the same transaction as the
// records; the storage keeps when (read_cursor_entry), and freshness is measured from that
// with the injected clock. Thread-safe; lookup() never throws.

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "cache/cert_answer.hpp"
#include "cache/cert_cache_options.hpp"
#include "pipeline/job_runner.hpp"
#include "plugin/provider_runtime.hpp"

namespace cardsync::cache {

class CertLookup {
 public:
  // `parts` are the host's (storage, queue, sink, client, clock, logger, stats), which must
  // outlive the lookup; `provider` serves options.job_type. Throws std::invalid_argument when
  // it does not.
  CertLookup(pipeline::PipelineParts parts, std::shared_ptr<plugin::ProviderRuntime> provider,
             CertCacheOptions options = {});
  CertLookup(const CertLookup&) = delete;
  CertLookup& operator=(const CertLookup&) = delete;

  // `raw_cert` as typed ("0123 4567" -> 01234567). `request_id` goes on jobs and log lines.
  CertAnswer lookup(std::string_view raw_cert, std::string_view request_id = {});

  const CertCacheOptions& options() const { return options_; }

 private:
  struct Blocked {
    Clock::WallTime until;
    std::string reason;
  };

  std::optional<CertAnswer> from_cache(const std::string& cert);
  std::optional<std::int64_t> refresh(const std::string& cert, std::string_view request_id);
  CertAnswer fetch(const std::string& cert, std::string_view request_id);
  CertAnswer fetch_now(const std::string& cert, std::string_view request_id);
  void run_until_settled(std::int64_t job_id, Clock::SteadyTime deadline);
  CertAnswer settle(const std::string& cert, std::int64_t job_id);
  std::optional<Blocked> blocked();
  CertAnswer queued(const std::string& cert, std::int64_t job_id, Clock::WallTime retry_at,
                    const std::string& message) const;
  std::int64_t now_ms() const;

  pipeline::PipelineParts parts_;
  std::shared_ptr<plugin::ProviderRuntime> provider_;
  CertCacheOptions options_;
  pipeline::JobRunner runner_;
  CancellationToken never_;

  std::mutex flights_mu_;
  std::map<std::string, std::shared_future<CertAnswer>, std::less<>> flights_;

  struct Refresh {
    std::int64_t job_id = 0;
    Clock::SteadyTime at{};
  };
  std::mutex refresh_mu_;
  std::map<std::string, Refresh, std::less<>> refreshing_;
};

}  // namespace cardsync::cache
