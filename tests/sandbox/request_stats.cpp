#include "sandbox/request_stats.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <utility>

namespace cardsync::sandbox {
namespace {

struct CounterName {
  StatCounter counter;
  const char* group;
  const char* name;
};

constexpr std::array kCounterNames{
    CounterName{StatCounter::kOutage, "faults", "outage"},
    CounterName{StatCounter::kServerError, "faults", "server_error"},
    CounterName{StatCounter::kThrottle, "faults", "throttle"},
    CounterName{StatCounter::kRateLimited, "faults", "rate_limited"},
    CounterName{StatCounter::kHang, "faults", "hang"},
    CounterName{StatCounter::kTruncated, "faults", "truncated"},
    CounterName{StatCounter::kShortPage, "faults", "short_page"},
    CounterName{StatCounter::kRepeat, "faults", "repeat"},
    CounterName{StatCounter::kInvalidItem, "faults", "invalid_item"},
    CounterName{StatCounter::kGamesServed, "served", "games"},
    CounterName{StatCounter::kSetsServed, "served", "sets"},
    CounterName{StatCounter::kCardsServed, "served", "cards"},
    CounterName{StatCounter::kVariantsServed, "served", "variants"},
};

}  // namespace

namespace {

using StatusCounts = std::map<std::string, std::uint64_t, std::less<>>;

void bump(std::map<std::string, StatusCounts, std::less<>>& groups, std::string_view group,
          std::string_view status) {
  auto it = groups.find(group);
  if (it == groups.end()) it = groups.emplace(std::string(group), StatusCounts{}).first;
  auto st = it->second.find(status);
  if (st == it->second.end()) st = it->second.emplace(std::string(status), 0).first;
  ++st->second;
}

std::uint64_t sum(const std::map<std::string, StatusCounts, std::less<>>& groups,
                  std::string_view group) {
  auto it = groups.find(group);
  if (it == groups.end()) return 0;
  std::uint64_t n = 0;
  for (const auto& [status, count] : it->second) n += count;
  return n;
}

}  // namespace

void RequestStats::record(std::string_view route, std::string_view status, std::string_view api) {
  std::lock_guard lock(mu_);
  bump(routes_, route, status);
  if (!api.empty()) bump(apis_, api, status);
  auto all = statuses_.find(status);
  if (all == statuses_.end()) all = statuses_.emplace(std::string(status), 0).first;
  ++all->second;
  ++total_;
}

void RequestStats::add(StatCounter counter, std::uint64_t n) {
  std::lock_guard lock(mu_);
  counters_[counter] += n;
}

void RequestStats::reset() {
  std::lock_guard lock(mu_);
  routes_.clear();
  statuses_.clear();
  apis_.clear();
  counters_.clear();
  total_ = 0;
}

std::uint64_t RequestStats::count(std::string_view route, std::string_view status) const {
  std::lock_guard lock(mu_);
  auto it = routes_.find(route);
  if (it == routes_.end()) return 0;
  auto st = it->second.find(status);
  return st == it->second.end() ? 0 : st->second;
}

std::uint64_t RequestStats::route_total(std::string_view route) const {
  std::lock_guard lock(mu_);
  return sum(routes_, route);
}

std::uint64_t RequestStats::api_total(std::string_view api) const {
  std::lock_guard lock(mu_);
  return sum(apis_, api);
}

std::uint64_t RequestStats::total() const {
  std::lock_guard lock(mu_);
  return total_;
}

std::uint64_t RequestStats::counter(StatCounter counter) const {
  std::lock_guard lock(mu_);
  auto it = counters_.find(counter);
  return it == counters_.end() ? 0 : it->second;
}

std::string RequestStats::to_json() const {
  std::lock_guard lock(mu_);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto counter_value = [&](StatCounter c) -> std::uint64_t {
    auto it = counters_.find(c);
    return it == counters_.end() ? 0 : it->second;
  };
  w.StartObject();
  w.Key("total");
  w.Uint64(total_);
  w.Key("requests");
  w.StartObject();
  for (const auto& [route, statuses] : routes_) {
    w.Key(route.c_str(), static_cast<rapidjson::SizeType>(route.size()));
    w.StartObject();
    for (const auto& [status, count] : statuses) {
      w.Key(status.c_str(), static_cast<rapidjson::SizeType>(status.size()));
      w.Uint64(count);
    }
    w.EndObject();
  }
  w.EndObject();
  w.Key("statuses");
  w.StartObject();
  for (const auto& [status, count] : statuses_) {
    w.Key(status.c_str(), static_cast<rapidjson::SizeType>(status.size()));
    w.Uint64(count);
  }
  w.EndObject();
  for (const char* group : {"faults", "served"}) {
    w.Key(group);
    w.StartObject();
    for (const auto& c : kCounterNames) {
      if (std::string_view(c.group) != group) continue;
      w.Key(c.name);
      w.Uint64(counter_value(c.counter));
    }
    w.EndObject();
  }
  w.Key("connections");
  w.Uint64(counter_value(StatCounter::kConnections));
  w.Key("apis");
  w.StartObject();
  for (const auto& [api, statuses] : apis_) {
    w.Key(api.c_str(), static_cast<rapidjson::SizeType>(api.size()));
    w.StartObject();
    std::uint64_t n = 0;
    for (const auto& [status, count] : statuses) n += count;
    w.Key("total");
    w.Uint64(n);
    w.Key("statuses");
    w.StartObject();
    for (const auto& [status, count] : statuses) {
      w.Key(status.c_str(), static_cast<rapidjson::SizeType>(status.size()));
      w.Uint64(count);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

}  // namespace cardsync::sandbox
