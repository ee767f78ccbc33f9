#include "admin/metrics_exposition.hpp"

#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "admin/build_info.hpp"
#include "admin/prometheus_text.hpp"
#include "queue/record_kind.hpp"

namespace cardsync::admin {
namespace {

using Labels = PrometheusText::Labels;
using Counts = std::map<std::vector<std::string>, int64_t>;

// A job type is "<service>.<stream>" (plugin/job_type_names.hpp).
std::string_view service_of(std::string_view job_type) {
  return job_type.substr(0, job_type.find('.'));
}

// The counter's entries, plus a zero for every key in `known` not counted yet: a series that
// appears only at its first increment hides that increment from rate() and increase().
Counts with_zeros(const pipeline::LabelledCounters& counters,
                  const std::vector<std::vector<std::string>>& known) {
  Counts out;
  for (const auto& key : known) out.emplace(key, 0);
  for (auto& e : counters.snapshot()) out[std::move(e.labels)] = e.count;
  return out;
}

void write_counter(PrometheusText& out, std::string_view name, std::string_view help,
                   const std::vector<std::string_view>& label_names, const Counts& counts) {
  out.family(name, "counter", help);
  for (const auto& [values, n] : counts) {
    Labels labels;
    for (size_t i = 0; i < label_names.size() && i < values.size(); ++i) {
      labels.emplace_back(label_names[i], values[i]);
    }
    out.sample(name, labels, n);
  }
}

struct QueueView {
  bool storage_ok = true;
  double lag_seconds = 0.0;
  std::set<std::string> job_types;
};

QueueView write_jobs(PrometheusText& out, const QueueCounts& counts) {
  QueueView view;
  view.storage_ok = counts.ok();
  out.family("cardsync_jobs", "gauge", "Jobs in the queue by type and state.");
  int64_t oldest_due = 0;
  const int64_t now = counts.now_ms;
  for (const auto& s : counts.rows) {
    view.job_types.insert(s.type);
    out.sample("cardsync_jobs", {{"type", s.type}, {"state", queue::to_string(s.state)}}, s.count);
    if (s.state == sdk::JobState::queued && s.count > 0 && s.next_run_at_ms > 0 &&
        s.next_run_at_ms <= now && (oldest_due == 0 || s.next_run_at_ms < oldest_due)) {
      oldest_due = s.next_run_at_ms;
    }
  }
  if (oldest_due > 0) view.lag_seconds = static_cast<double>(now - oldest_due) / 1000.0;
  return view;
}

void write_sink(PrometheusText& out, const queue::BatchSink::Stats& st) {
  out.family("cardsync_records_written_total", "counter", "Records committed by kind and outcome.");
  for (int k = CS_RECORD_GAME; k <= CS_RECORD_CERT_IMAGE; ++k) {
    const std::pair<std::string_view, int64_t> outcomes[] = {{"inserted", st.counts.inserted[k]},
                                                             {"updated", st.counts.updated[k]},
                                                             {"unchanged", st.counts.unchanged[k]},
                                                             {"rejected", st.counts.rejected[k]}};
    for (const auto& [outcome, n] : outcomes) {
      out.sample("cardsync_records_written_total",
                 {{"kind", queue::kind_name(static_cast<uint32_t>(k))}, {"outcome", outcome}}, n);
    }
  }
  constexpr std::string_view flush = "cardsync_batch_flush_duration_seconds";
  out.family(flush, "histogram", "Time of each committed write batch.");
  int64_t cumulative = 0;
  for (size_t i = 0; i < queue::BatchSink::Stats::kFlushBuckets.size(); ++i) {
    cumulative += st.flush_buckets[i];
    std::ostringstream le;
    le << queue::BatchSink::Stats::kFlushBuckets[i];
    out.sample("cardsync_batch_flush_duration_seconds_bucket", {{"le", le.str()}}, cumulative);
  }
  cumulative += st.flush_buckets.back();
  out.sample("cardsync_batch_flush_duration_seconds_bucket", {{"le", "+Inf"}}, cumulative);
  out.sample("cardsync_batch_flush_duration_seconds_sum", {}, st.flush_seconds_sum);
  out.sample("cardsync_batch_flush_duration_seconds_count", {}, cumulative);
  out.family("cardsync_batch_failed_attempts_total", "counter",
             "Write batches the storage refused.");
  out.sample("cardsync_batch_failed_attempts_total", {}, st.failed_attempts);
}

void write_run_stats(PrometheusText& out, const pipeline::RunStats& rs,
                     const std::vector<std::string>& services,
                     const std::set<std::string>& job_types) {
  out.family("cardsync_http_requests_total", "counter",
             "Upstream HTTP attempts by service and status (0: no response).");
  for (const auto& e : rs.http_requests.snapshot()) {
    out.sample("cardsync_http_requests_total",
               {{"service", e.service}, {"status", std::to_string(e.status)}}, e.count);
  }

  std::vector<std::vector<std::string>> by_service;
  std::vector<std::vector<std::string>> by_reason;
  for (const auto& s : services) {
    by_service.push_back({s});
    for (const auto reason : {RetryLater::Reason::breaker_open, RetryLater::Reason::quota,
                              RetryLater::Reason::throttled}) {
      by_reason.push_back({s, std::string(to_string(reason))});
    }
  }
  write_counter(out, "cardsync_http_retries_total",
                "Upstream requests sent again after a retryable failure, by service.", {"service"},
                with_zeros(rs.retries_by_service, by_service));
  write_counter(out, "cardsync_http_throttles_total",
                "Calls told to come back later, by service and reason (throttled: 429 or "
                "pacing; breaker_open; quota: the daily quota is spent).",
                {"service", "reason"}, with_zeros(rs.throttles_by_service, by_reason));
  write_counter(out, "cardsync_breaker_opens_total", "Times a service's circuit breaker opened.",
                {"service"}, with_zeros(rs.breaker_opens_by_service, by_service));

  // Job events by {service, type}: one family per event, every known job type at zero.
  std::map<std::string_view, Counts> events;
  constexpr std::pair<std::string_view, std::string_view> kJobFamilies[] = {
      {pipeline::job_event::started, "cardsync_jobs_started_total"},
      {pipeline::job_event::completed, "cardsync_jobs_completed_total"},
      {pipeline::job_event::failed, "cardsync_jobs_failed_total"},
      {pipeline::job_event::retried, "cardsync_jobs_retried_total"},
      {pipeline::job_event::snoozed, "cardsync_jobs_snoozed_total"},
      {pipeline::job_event::records_emitted, "cardsync_records_emitted_total"},
      {pipeline::job_event::quarantined, "cardsync_quarantined_total"},
  };
  for (const auto& [event, name] : kJobFamilies) {
    auto& counts = events[event];
    for (const auto& type : job_types)
      counts.emplace(std::vector{std::string(service_of(type)), type}, 0);
  }
  for (auto& e : rs.job_events.snapshot()) {
    if (e.labels.size() != 3) continue;
    auto it = events.find(e.labels[0]);
    if (it == events.end()) continue;
    it->second[{e.labels[1], e.labels[2]}] = e.count;
  }
  constexpr std::pair<std::string_view, std::string_view> kJobHelp[] = {
      {pipeline::job_event::started, "Jobs this process started, by service and job type."},
      {pipeline::job_event::completed, "Jobs completed (done), by service and job type."},
      {pipeline::job_event::failed,
       "Jobs failed for good (permanent error or attempts spent), by service and job type."},
      {pipeline::job_event::retried,
       "Job attempts that failed with a retry scheduled, by service and job type."},
      {pipeline::job_event::snoozed,
       "Jobs put back without spending an attempt (throttled, breaker open, quota), by service "
       "and job type."},
      {pipeline::job_event::records_emitted,
       "Records the providers produced, by service and job type."},
      {pipeline::job_event::quarantined, "Items quarantined as invalid, by service and job type."},
  };
  for (size_t i = 0; i < std::size(kJobFamilies); ++i) {
    write_counter(out, kJobFamilies[i].second, kJobHelp[i].second, {"service", "type"},
                  events[kJobFamilies[i].first]);
  }
}

void write_client(PrometheusText& out, ResilientClient& client,
                  const std::vector<std::string>& services) {
  out.family("cardsync_breaker_state", "gauge",
             "Circuit breaker state per service: 1 for the current state, 0 for the others.");
  for (const auto& snap : client.breakers().snapshot()) {
    for (const auto state : {BreakerState::closed, BreakerState::open, BreakerState::half_open}) {
      out.sample("cardsync_breaker_state", {{"service", snap.service}, {"state", to_string(state)}},
                 int64_t{snap.state == state ? 1 : 0});
    }
  }
  out.family("cardsync_quota_daily_limit", "gauge",
             "Configured calls per UTC day, per service with a daily quota.");
  std::vector<std::pair<std::string, int64_t>> remaining;
  for (const auto& s : services) {
    auto& pacer = client.pacer(s);
    if (pacer.options().daily_quota > 0) {
      out.sample("cardsync_quota_daily_limit", {{"service", s}}, pacer.options().daily_quota);
    }
    if (auto left = pacer.daily_remaining()) remaining.emplace_back(s, *left);
  }
  out.family("cardsync_quota_remaining", "gauge",
             "Calls left today (UTC) by this process's count or the upstream's report, "
             "whichever is lower, per service with a daily quota.");
  for (const auto& [s, left] : remaining) {
    out.sample("cardsync_quota_remaining", {{"service", s}}, left);
  }
}

}  // namespace

std::string metrics_exposition(const AdminContext& ctx,
                               const pipeline::LabelledCounters& admin_requests,
                               const QueueCounts& queue_counts) {
  PrometheusText out;
  out.family("cardsync_build_info", "gauge",
             "Always 1; the labels name the build: release version and plugin ABI.");
  const std::string abi = build_abi();
  out.sample("cardsync_build_info", {{"version", build_version()}, {"abi", abi}}, int64_t{1});

  const QueueView queue = write_jobs(out, queue_counts);
  out.family("cardsync_storage_up", "gauge",
             "Whether the last read of the queue's counts worked (1) or not (0).");
  out.sample("cardsync_storage_up", {}, int64_t{queue.storage_ok ? 1 : 0});
  out.family("cardsync_queue_lag_seconds", "gauge", "Age of the oldest due job still waiting.");
  out.sample("cardsync_queue_lag_seconds", {}, queue.lag_seconds);

  if (ctx.sink_stats) write_sink(out, ctx.sink_stats());
  const std::vector<std::string> services =
      ctx.client != nullptr ? ctx.client->services() : std::vector<std::string>{};
  if (ctx.run_stats != nullptr) write_run_stats(out, *ctx.run_stats, services, queue.job_types);
  if (ctx.client != nullptr) write_client(out, *ctx.client, services);

  write_counter(out, "cardsync_admin_requests_total",
                "Responses of this admin server by method, route pattern and status code.",
                {"method", "route", "code"}, with_zeros(admin_requests, {}));
  if (ctx.log_drops) {
    out.family("cardsync_log_dropped_total", "counter",
               "Log lines the storage sink dropped (buffer full).");
    out.sample("cardsync_log_dropped_total", {}, ctx.log_drops());
  }
  return out.str();
}

}  // namespace cardsync::admin
