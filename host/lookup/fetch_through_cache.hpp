#pragma once
// One provider's lookup of one kind, as a fetch-through cache over the host's storage and
// pipeline, with stale-while-revalidate. The provider declares the kind (plugin::LookupKind)
// and owns every judgement about keys and upstream answers; this class owns the behaviour:
//
//   fresh     the "<job type>/<key>" sync cursor is "found" and younger than ttl: answered
//             from storage; no upstream call.
//   stale     "found" but older: the stored data is answered at once, marked stale with its
//             age, and ONE refresh job is enqueued (queue dedup on (type, key), plus an
//             in-process guard so a burst of stale lookups does not even write).
//   not found the cursor is "not_found" and younger than not_found_ttl: answered without a
//             call.
//   invalid   the cursor is "invalid" (the upstream called the key invalid) and younger than
//             not_found_ttl: answered invalid without a call.
//   missing   fetched now, within the lookup's deadline (one for the whole lookup, however
//             many calls the job makes), by running the lookup's job inline through
//             the same JobRunner, ResilientClient (pacing, breaker, retry) and batch sink the
//             workers use; concurrent lookups of one missing key share one fetch
//             (single-flight). When the breaker is open or the service's daily quota is
//             spent, nothing is sent: the job is queued for when it can run, and the answer
//             says when to ask again.
//
// The provider writes the cursor: a completed lookup job ends with found, not_found or
// invalid (abi.h), which the JobRunner stores as the sync cursor in the same transaction as
// the records; the storage keeps when (read_cursor_entry), and freshness is measured from
// that with the injected clock. Thread-safe; lookup() never throws.

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "lookup/lookup_answer.hpp"
#include "lookup/lookup_options.hpp"
#include "pipeline/job_runner.hpp"
#include "plugin/provider_runtime.hpp"

namespace cardsync::lookup {

class FetchThroughCache {
 public:
  // `parts` are the host's (storage, queue, sink, client, clock, logger, stats), which must
  // outlive the cache; `provider` declares `kind`. Throws std::invalid_argument when it does
  // not serve the kind's job type.
  FetchThroughCache(pipeline::PipelineParts parts,
                    std::shared_ptr<plugin::ProviderRuntime> provider, plugin::LookupKind kind,
                    LookupOptions options);
  FetchThroughCache(const FetchThroughCache&) = delete;
  FetchThroughCache& operator=(const FetchThroughCache&) = delete;

  // `key` must be canonical (the provider's normalise_key). `request_id` goes on jobs and
  // log lines. cached() and then, when it has nothing, fetch() by now + options().deadline.
  LookupAnswer lookup(const std::string& key, std::string_view request_id = {});
  // The answer the cache holds (fresh, stale with its refresh queued, not found, invalid, or
  // unavailable when the storage cannot be read); nullopt when the item must be fetched.
  // Spends no upstream call.
  std::optional<LookupAnswer> cached(const std::string& key, std::string_view request_id = {});
  // Fetches the item (or queues it), answering by `deadline`: no upstream call of this
  // lookup's job runs past it, and a job that still has calls to make then is left queued
  // for a worker.
  LookupAnswer fetch(const std::string& key, std::string_view request_id,
                     Clock::SteadyTime deadline);

  const LookupOptions& options() const { return options_; }
  const plugin::LookupKind& kind() const { return kind_; }

 private:
  struct Blocked {
    Clock::WallTime until;
    std::string reason;
  };

  LookupAnswer answer(const std::string& key) const;
  std::optional<LookupAnswer> from_cache(const std::string& key);
  std::optional<std::int64_t> refresh(const std::string& key, std::string_view request_id);
  LookupAnswer fetch_now(const std::string& key, std::string_view request_id,
                         Clock::SteadyTime deadline);
  void run_until_settled(std::int64_t job_id, Clock::SteadyTime deadline);
  LookupAnswer settle(const std::string& key, std::int64_t job_id, Clock::SteadyTime deadline);
  std::optional<Blocked> blocked();
  LookupAnswer queued(const std::string& key, std::int64_t job_id, Clock::WallTime retry_at,
                      const std::string& message) const;
  std::int64_t now_ms() const;

  pipeline::PipelineParts parts_;
  std::shared_ptr<plugin::ProviderRuntime> provider_;
  plugin::LookupKind kind_;
  LookupOptions options_;
  pipeline::JobRunner runner_;
  CancellationToken never_;

  std::mutex flights_mu_;
  std::map<std::string, std::shared_future<LookupAnswer>, std::less<>> flights_;

  struct Refresh {
    std::int64_t job_id = 0;
    Clock::SteadyTime at{};
  };
  std::mutex refresh_mu_;
  std::map<std::string, Refresh, std::less<>> refreshing_;
};

}  // namespace cardsync::lookup
