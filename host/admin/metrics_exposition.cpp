#include "admin/metrics_exposition.hpp"

#include <sstream>
#include <string_view>
#include <utility>

#include "queue/record_kind.hpp"

namespace cardsync::admin {
namespace {

std::string prometheus_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string metrics_exposition(const AdminContext& ctx) {
  std::ostringstream out;
  out << "# HELP cardsync_jobs Jobs in the queue by type and state.\n"
         "# TYPE cardsync_jobs gauge\n";
  int64_t oldest_due = 0;
  const int64_t now = ctx.queue.now_ms();
  bool storage_ok = true;
  try {
    for (const auto& s : ctx.queue.stats()) {
      out << "cardsync_jobs{type=\"" << prometheus_label(s.type) << "\",state=\""
          << queue::to_string(s.state) << "\"} " << s.count << "\n";
      if (s.state == sdk::JobState::queued && s.count > 0 && s.next_run_at_ms > 0 &&
          s.next_run_at_ms <= now && (oldest_due == 0 || s.next_run_at_ms < oldest_due)) {
        oldest_due = s.next_run_at_ms;
      }
    }
  } catch (const std::exception&) {
    storage_ok = false;
  }
  out << "# HELP cardsync_storage_up Whether the last storage read of this scrape worked.\n"
         "# TYPE cardsync_storage_up gauge\ncardsync_storage_up "
      << (storage_ok ? 1 : 0) << "\n";
  out << "# HELP cardsync_queue_lag_seconds Age of the oldest due job still waiting.\n"
         "# TYPE cardsync_queue_lag_seconds gauge\ncardsync_queue_lag_seconds "
      << (oldest_due > 0 ? static_cast<double>(now - oldest_due) / 1000.0 : 0.0) << "\n";

  if (ctx.sink_stats) {
    const auto st = ctx.sink_stats();
    out << "# HELP cardsync_records_written_total Records committed by kind and outcome.\n"
           "# TYPE cardsync_records_written_total counter\n";
    for (int k = CS_RECORD_GAME; k <= CS_RECORD_CERT_IMAGE; ++k) {
      const std::pair<std::string_view, int64_t> outcomes[] = {
          {"inserted", st.counts.inserted[k]},
          {"updated", st.counts.updated[k]},
          {"unchanged", st.counts.unchanged[k]},
          {"rejected", st.counts.rejected[k]}};
      for (const auto& [outcome, n] : outcomes) {
        out << "cardsync_records_written_total{kind=\""
            << queue::kind_name(static_cast<uint32_t>(k)) << "\",outcome=\"" << outcome << "\"} "
            << n << "\n";
      }
    }
    out << "# HELP cardsync_batch_flush_duration_seconds Time of each committed write batch.\n"
           "# TYPE cardsync_batch_flush_duration_seconds histogram\n";
    int64_t cumulative = 0;
    for (size_t i = 0; i < queue::BatchSink::Stats::kFlushBuckets.size(); ++i) {
      cumulative += st.flush_buckets[i];
      out << "cardsync_batch_flush_duration_seconds_bucket{le=\""
          << queue::BatchSink::Stats::kFlushBuckets[i] << "\"} " << cumulative << "\n";
    }
    cumulative += st.flush_buckets.back();
    out << "cardsync_batch_flush_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
        << "cardsync_batch_flush_duration_seconds_sum " << st.flush_seconds_sum << "\n"
        << "cardsync_batch_flush_duration_seconds_count " << cumulative << "\n";
    out << "# HELP cardsync_batch_failed_attempts_total Write batches the storage refused.\n"
           "# TYPE cardsync_batch_failed_attempts_total counter\n"
           "cardsync_batch_failed_attempts_total "
        << st.failed_attempts << "\n";
  }
  if (ctx.run_stats != nullptr) {
    const auto& rs = *ctx.run_stats;
    out << "# HELP cardsync_http_requests_total Upstream HTTP attempts by service and status "
           "(0: no response); service \"admin\" counts this server's responses.\n"
           "# TYPE cardsync_http_requests_total counter\n";
    for (const auto& e : rs.http_requests.snapshot()) {
      out << "cardsync_http_requests_total{service=\"" << prometheus_label(e.service)
          << "\",status=\"" << e.status << "\"} " << e.count << "\n";
    }
    const std::pair<std::string_view, int64_t> counters[] = {
        {"cardsync_http_retries_total", rs.retries.load()},
        {"cardsync_http_throttles_total", rs.throttles.load()},
        {"cardsync_breaker_opens_total", rs.breaker_opens.load()},
        {"cardsync_jobs_started_total", rs.jobs_started.load()},
        {"cardsync_jobs_completed_total", rs.jobs_completed.load()},
        {"cardsync_jobs_failed_total", rs.jobs_failed.load()},
        {"cardsync_jobs_retried_total", rs.jobs_retrying.load()},
        {"cardsync_jobs_snoozed_total", rs.jobs_snoozed.load()},
        {"cardsync_records_emitted_total", rs.records_emitted.load()},
        {"cardsync_quarantined_total", rs.quarantined.load()},
    };
    for (const auto& [name, n] : counters) {
      out << "# TYPE " << name << " counter\n" << name << " " << n << "\n";
    }
  }
  if (ctx.client != nullptr) {
    out << "# HELP cardsync_breaker_state Circuit breaker state per service (0 closed, 1 open, "
           "2 half_open).\n# TYPE cardsync_breaker_state gauge\n";
    for (const auto& snap : ctx.client->breakers().snapshot()) {
      out << "cardsync_breaker_state{service=\"" << prometheus_label(snap.service) << "\"} "
          << static_cast<int>(snap.state) << "\n";
    }
  }
  if (ctx.log_drops) {
    out << "# HELP cardsync_log_dropped_total Log lines the storage sink dropped (buffer full).\n"
           "# TYPE cardsync_log_dropped_total counter\ncardsync_log_dropped_total "
        << ctx.log_drops() << "\n";
  }
  return out.str();
}

}  // namespace cardsync::admin
