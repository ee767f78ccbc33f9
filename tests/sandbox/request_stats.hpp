#pragma once
// What the emulated upstreams were asked and what they answered, for tests to assert on
// ("no more than a handful of probes during the outage", "the incremental run fetched only
// changed variants"). Control endpoints (/_sandbox/...) are not counted.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace cardsync::sandbox {

// Named counters beside the per-route ones.
enum class StatCounter {
  kOutage,       // 503 during an outage window
  kServerError,  // injected 500/503
  kThrottle,     // injected 429
  kRateLimited,  // 429 from the enforced per-minute / daily / monthly limit
  kHang,         // accepted, never answered
  kTruncated,    // body cut short
  kShortPage,    // meta.limit smaller than asked
  kRepeat,       // page carried the next page's first item
  kInvalidItem,  // schema-invalid item served: a card, or a variant of a valid card
  kGamesServed,
  kSetsServed,
  kCardsServed,
  kVariantsServed,
  kConnections,
};

// Thread-safe.
class RequestStats {
 public:
  // `route` is "METHOD /pattern" (e.g. "GET /v1/cards"); `status` is the HTTP status, or
  // "hang" for a request never answered; `api` names the emulated upstream (UpstreamApi::name),
  // which also attributes its "unmatched" requests.
  void record(std::string_view route, std::string_view status, std::string_view api = {});
  void add(StatCounter counter, std::uint64_t n = 1);
  void reset();

  std::uint64_t count(std::string_view route, std::string_view status) const;
  std::uint64_t route_total(std::string_view route) const;
  // Requests to one upstream, every route and status.
  std::uint64_t api_total(std::string_view api) const;
  std::uint64_t total() const;
  std::uint64_t counter(StatCounter counter) const;
  // {"total", "requests": {route: {status: n}}, "statuses": {status: n}, "faults": {...},
  //  "served": {...}, "connections", "apis": {api: {"total", "statuses": {status: n}}}}
  std::string to_json() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, std::uint64_t, std::less<>>, std::less<>> routes_;
  std::map<std::string, std::uint64_t, std::less<>> statuses_;
  std::map<std::string, std::map<std::string, std::uint64_t, std::less<>>, std::less<>> apis_;
  std::map<StatCounter, std::uint64_t> counters_;
  std::uint64_t total_ = 0;
};

}  // namespace cardsync::sandbox
