#pragma once
// What a lookup answers, for the CLI (`cardsync lookup`) and the admin API
// (GET /api/v1/lookup/{provider}/{key}) alike: to_json() is the one wire shape both print.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "time/clock.hpp"

namespace cardsync::lookup {

enum class LookupStatus {
  fresh,        // stored and younger than the TTL (or fetched by this lookup)
  stale,        // stored, older than the TTL: answered as is, a refresh job is queued
  not_found,    // the upstream has no such item, remembered for not_found_ttl
  queued,       // not stored and not fetchable now (breaker open, quota spent, deadline
                // passed, retry scheduled): a job is queued; ask again at retry_at
  invalid,      // the input is not a key of the lookup, or the upstream calls it invalid
                // (remembered for not_found_ttl, like not_found: then age and fetched_at are set)
  unavailable,  // the provider is stopped (bad credentials), the fetch failed, or storage failed
};

std::string_view to_string(LookupStatus status);

struct LookupAnswer {
  std::string provider;
  std::string kind;
  LookupStatus status = LookupStatus::invalid;
  std::string key;      // the canonical key (empty when the input was not one)
  std::string message;  // why, for every status but fresh / stale
  // The found record's core fields as JSON text (fresh and stale), and its children's (in key
  // order), answered under `child_field`.
  std::optional<std::string> core_json;
  std::string child_field;
  std::vector<std::string> children_json;
  // Since the data (or the not-found) was fetched from the upstream.
  std::optional<std::chrono::milliseconds> age;
  std::optional<Clock::WallTime> fetched_at;
  std::optional<std::int64_t> job_id;       // queued: the job; stale: the refresh job
  std::optional<Clock::WallTime> retry_at;  // queued: when asking again may succeed
  bool fetched_now = false;                 // this lookup called the upstream (or waited on a call)

  // {"provider", "kind", "key", "status", "message"?, "data"?: {...core...,
  //  "<child_field>"?: [{...child core...}]}, "age_seconds"?, "fetched_at"?, "job_id"?,
  //  "retry_at"?, "fetched_now"}. Times are ISO 8601 UTC.
  std::string to_json() const;
  // For an HTTP front: fresh/stale 200, not_found 404, queued 202 (with Retry-After),
  // invalid 400, unavailable 503.
  unsigned http_status() const;
};

}  // namespace cardsync::lookup
