#pragma once
// What a cert lookup answers, for the CLI (`cardsync psa lookup`) and the admin API
// (GET /api/v1/psa/certs/{cert}) alike. to_json() is the one wire shape both print.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "time/clock.hpp"

namespace cardsync::cache {

enum class CertStatus {
  fresh,        // stored and younger than the TTL (or fetched by this lookup)
  stale,        // stored, older than the TTL: answered as is, a refresh job is queued
  not_found,    // PSA said it has no such cert, remembered for not_found_ttl
  queued,       // not stored and not fetchable now (breaker open, quota spent, deadline
                // passed, retry scheduled): a job is queued; ask again at retry_at
  invalid,      // the input is not a cert number, or PSA calls it invalid (remembered for
                // not_found_ttl, like not_found: then age and fetched_at are set)
  unavailable,  // the provider is stopped (bad credentials) or storage failed
};

std::string_view to_string(CertStatus status);

struct CertImage {
  std::string side;  // "front" or "back"
  std::string url;
};

struct CertAnswer {
  CertStatus status = CertStatus::invalid;
  std::string cert;     // the normalised number (empty when the input had none)
  std::string message;  // why, for every status but fresh / stale
  // The graded_cert core fields (docs/canonical-records.md) as JSON text; fresh and stale.
  std::optional<std::string> cert_json;
  std::vector<CertImage> images;  // front first, then back
  bool no_images = false;         // PSA has no images for this cert (graded before ~2021)
  // Since the data (or the not-found) was fetched from PSA.
  std::optional<std::chrono::milliseconds> age;
  std::optional<Clock::WallTime> fetched_at;
  std::optional<std::int64_t> job_id;       // queued: the job; stale: the refresh job
  std::optional<Clock::WallTime> retry_at;  // queued: when asking again may succeed
  bool fetched_now = false;                 // this lookup called PSA (or waited for a call)

  // {"cert", "status", "message"?, "data"?: {...core..., "images": [{"side","url"}],
  //  "no_images"}, "age_seconds"?, "fetched_at"?, "job_id"?, "retry_at"?, "fetched_now"}
  // Times are ISO 8601 UTC.
  std::string to_json() const;
  // For an HTTP front (the admin API): fresh/stale 200, not_found 404, queued 202 (with
  // Retry-After), invalid 400, unavailable 503.
  unsigned http_status() const;
};

}  // namespace cardsync::cache
