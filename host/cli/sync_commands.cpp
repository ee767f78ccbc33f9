// `cardsync run [--once]` and `cardsync worker`: work the queue with the configured providers.
#include <unistd.h>

#include <array>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/host_runtime.hpp"
#include "cli/shutdown_signal.hpp"
#include "log/request_id.hpp"
#include "pipeline/worker_host.hpp"

namespace cardsync::cli {
namespace {

constexpr std::string_view kKindNames[] = {"",         "games",        "sets",       "cards",
                                           "variants", "graded_certs", "cert_images"};

struct QueueLoad {
  int64_t due = 0;         // queued and due within the drain window, for active types
  int64_t deferred = 0;    // queued beyond the drain window (quota, long snoozes)
  int64_t processing = 0;  // leased anywhere, any type
  int64_t failed = 0;
};

QueueLoad queue_load(HostRuntime& rt, const std::vector<std::string>& types, int64_t horizon_ms) {
  QueueLoad load;
  for (const auto& s : rt.queue().stats()) {
    bool active = std::find(types.begin(), types.end(), s.type) != types.end();
    switch (s.state) {
      case sdk::JobState::queued:
        if (!active) break;
        (s.next_run_at_ms <= horizon_ms ? load.due : load.deferred) += s.count;
        break;
      case sdk::JobState::processing:
        load.processing += s.count;
        break;
      case sdk::JobState::failed:
        load.failed += s.count;
        break;
      case sdk::JobState::done:
        break;
    }
  }
  return load;
}

std::string format_duration(double seconds) {
  auto s = static_cast<int64_t>(seconds);
  std::ostringstream out;
  out << s / 3600 << ':' << std::setw(2) << std::setfill('0') << (s / 60) % 60 << ':'
      << std::setw(2) << std::setfill('0') << s % 60;
  return out.str();
}

class Progress {
 public:
  Progress(HostRuntime& rt, bool tty, std::string run_id)
      : rt_(rt), tty_(tty), run_id_(std::move(run_id)), started_(rt.clock().now()) {}

  void report(const QueueLoad& load, std::ostream& err) {
    const auto& st = rt_.stats();
    const double elapsed = std::chrono::duration<double>(rt_.clock().now() - started_).count();
    const int64_t done = st.jobs_completed.load();
    const int64_t total = done + st.jobs_failed.load() + load.due + load.processing;
    const double rate = elapsed > 0 ? static_cast<double>(st.records_emitted.load()) / elapsed : 0;
    const double jobs_rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    const double eta =
        jobs_rate > 0 ? static_cast<double>(load.due + load.processing) / jobs_rate : 0;
    // An idle worker would otherwise log the same line every few seconds for as long as it
    // runs, burying the lines that matter in the stored logs and on the monitor page.
    const std::array<int64_t, 4> state = {done, total, st.jobs_failed.load(),
                                          st.records_emitted.load()};
    if (!tty_ && state == last_reported_) return;
    last_reported_ = state;
    if (tty_) {
      err << "\r\033[K" << done << "/" << total << " jobs  " << static_cast<int64_t>(rate)
          << " records/s  ETA " << format_duration(eta) << std::flush;
    } else {
      rt_.logger().info("progress", run_id_,
                        {{"jobs_done", done},
                         {"jobs_total", total},
                         {"records_per_s", static_cast<int64_t>(rate)},
                         {"eta_s", static_cast<int64_t>(eta)}});
    }
  }
  void finish(std::ostream& err) {
    if (tty_) err << "\r\033[K" << std::flush;
  }

 private:
  HostRuntime& rt_;
  bool tty_;
  std::string run_id_;
  Clock::SteadyTime started_;
  std::array<int64_t, 4> last_reported_{};  // done, total, failed, records: all 0 at start
};

void print_summary(HostRuntime& rt, double seconds, const QueueLoad& load, std::ostream& out) {
  const auto sink = rt.sink().stats();
  const auto& st = rt.stats();
  // The counters are this process's: with other workers on the same queue, the jobs they ran
  // are missing here, which must not read as missing data.
  out << "\nsync summary of this process (" << format_duration(seconds) << ", storage "
      << rt.storage_name() << ")\n"
      << "jobs other processes ran on the same queue are not counted here; `cardsync queue "
         "stats` shows the whole queue\n";
  out << std::left << std::setw(14) << "kind" << std::right << std::setw(11) << "inserted"
      << std::setw(11) << "updated" << std::setw(11) << "unchanged" << std::setw(11) << "rejected"
      << "\n";
  int64_t written = 0;
  for (int k = CS_RECORD_GAME; k <= CS_RECORD_CERT_IMAGE; ++k) {
    const auto& c = sink.counts;
    const int64_t any = c.inserted[k] + c.updated[k] + c.unchanged[k] + c.rejected[k];
    written += c.inserted[k] + c.updated[k] + c.unchanged[k];
    if (any == 0) continue;
    out << std::left << std::setw(14) << kKindNames[k] << std::right << std::setw(11)
        << c.inserted[k] << std::setw(11) << c.updated[k] << std::setw(11) << c.unchanged[k]
        << std::setw(11) << c.rejected[k] << "\n";
  }
  out << "quarantined items: " << st.quarantined.load() << "\n"
      << "jobs: " << st.jobs_completed.load() << " done, " << st.jobs_failed.load() << " failed, "
      << st.jobs_retrying.load() << " retries scheduled, " << st.jobs_snoozed.load() << " snoozed";
  if (st.jobs_released.load() > 0) {
    out << ", " << st.jobs_released.load()
        << " released at shutdown (they resume from their checkpoints)";
  }
  if (load.deferred > 0) out << ", " << load.deferred << " deferred to a later run";
  out << "\nhttp: " << st.requests.load() << " requests, " << st.retries.load() << " retries, "
      << st.throttles.load() << " throttles, " << st.breaker_opens.load() << " breaker opens\n"
      << "records/s: "
      << (seconds > 0 ? static_cast<int64_t>(static_cast<double>(written) / seconds) : 0) << "\n";
  // Per service (a provider instance): its requests by status, its breaker and its pacing.
  const auto requests = st.http_requests.snapshot();
  const auto breakers = rt.client().breakers().snapshot();
  for (const auto& p : rt.providers()) {
    std::string statuses;
    int64_t total = 0;
    for (const auto& e : requests) {
      if (e.service != p->service()) continue;
      total += e.count;
      statuses += (statuses.empty() ? "" : ", ") +
                  (e.status == 0 ? std::string("no answer") : std::to_string(e.status)) + ": " +
                  std::to_string(e.count);
    }
    if (total == 0) continue;
    std::string breaker = "closed";
    for (const auto& b : breakers) {
      if (b.service == p->service()) breaker = std::string(to_string(b.state));
    }
    const double per_minute = rt.client().pacer(p->service()).requests_per_minute();
    out << "service " << p->service() << ": " << total << " requests (" << statuses << "), breaker "
        << breaker;
    if (per_minute > 0) out << ", paced at " << static_cast<int64_t>(per_minute) << "/min";
    out << "\n";
  }
  for (const auto& p : rt.providers()) {
    if (p->disabled()) {
      out << "provider '" << p->name() << "' stopped: " << p->disabled_reason() << "\n";
    }
  }
}

int usage(const std::string& what, std::ostream& err) {
  err << "cardsync " << what << "\n";
  return kExitUsage;
}

// Works the queue until drained (once) or until a signal; returns the exit code.
int work(HostRuntime& rt, const ShutdownSignal& signal, bool once, const std::string& run_id,
         std::ostream& out, std::ostream& err) {
  pipeline::WorkerHost workers(rt.parts(), rt.providers(), rt.options(), run_id);
  const pipeline::WorkerPool& pool = workers.pool();
  workers.start();
  std::string provider_names;
  for (const auto& p : rt.providers()) {
    provider_names += (provider_names.empty() ? "" : ",") + std::string(p->name());
  }
  rt.logger().info(once ? "sync started" : "worker started", run_id,
                   {{"storage", rt.storage_name()},
                    {"providers", provider_names},
                    {"workers", static_cast<int64_t>(rt.options().workers.workers)}});
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  Progress progress(rt, tty, run_id);
  auto& clock = rt.clock();
  const auto started = clock.now();
  auto next_progress = started + (tty ? std::chrono::seconds(1) : rt.options().progress_every);
  QueueLoad load;
  workers.run(signal.token(), [&](Clock::SteadyTime now) {
    // A full disk or a read-only database does not pass by retrying: stop and say so.
    if (rt.storage_unusable()) return false;
    const auto types = pool.active_types();
    const int64_t horizon =
        rt.queue().now_ms() + std::chrono::milliseconds(rt.options().drain_wait).count();
    try {
      if (once && pool.in_flight() == 0) {
        rt.sink().flush();
        load = queue_load(rt, types, horizon);
        if (load.due == 0 && load.processing == 0 && pool.in_flight() == 0) return false;
      } else if (now >= next_progress) {
        load = queue_load(rt, types, horizon);
      }
    } catch (const queue::StorageError& e) {
      rt.logger().warn("cannot read queue stats", run_id, {{"error", e.what()}});
    }
    if (now >= next_progress) {
      progress.report(load, err);
      next_progress = now + (tty ? std::chrono::seconds(1) : rt.options().progress_every);
    }
    return true;
  });
  if (signal.signal() != 0) {
    // Said before the stop, which waits for the batch's last write (a slow or locked
    // database): whoever sent the signal sees it taken, and how to end the wait.
    rt.logger().info("stopping: releasing in-flight jobs; a second signal ends the process now",
                     run_id, {{"signal", static_cast<int64_t>(signal.signal())}});
  }
  workers.stop();
  progress.finish(err);
  try {
    load = queue_load(
        rt, pool.active_types(),
        rt.queue().now_ms() + std::chrono::milliseconds(rt.options().drain_wait).count());
  } catch (const queue::StorageError&) {  // NOLINT(bugprone-empty-catch): summary only
  }
  const double seconds = std::chrono::duration<double>(clock.now() - started).count();
  print_summary(rt, seconds, load, out);
  if (auto why = rt.report_unusable_storage(run_id, err)) {
    out << "stopped: the storage cannot be used (" << *why
        << "); nothing was lost: jobs this process held resume from their checkpoints on the "
           "next run, once their leases expire\n";
    return kExitWorkFailed;
  }
  bool provider_stopped = false;
  for (const auto& p : rt.providers()) provider_stopped = provider_stopped || p->disabled();
  if (signal.signal() != 0) {
    rt.logger().info("stopped", run_id, {{"signal", static_cast<int64_t>(signal.signal())}});
    // `run --once` was asked to finish the sync and did not; for `run` and `worker` a signal
    // is the normal way to stop, so it is no news and their verdict is the work's.
    if (once) {
      out << "interrupted: in-flight jobs were released and will resume from their "
             "checkpoints\n";
      return kExitWorkFailed;
    }
  }
  return rt.stats().jobs_failed.load() > 0 || provider_stopped ? kExitWorkFailed : kExitOk;
}

}  // namespace

int run_sync_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                     std::ostream& err) {
  const bool is_run = opts.command == "run";
  bool once = false;
  for (const auto& a : opts.args) {
    if (is_run && a == "--once") {
      once = true;
    } else {
      return usage(opts.command + ": unexpected argument '" + a + "'", err);
    }
  }
  ShutdownSignal signal;  // before any thread starts, so every thread inherits the mask
  Startup s;
  std::unique_ptr<HostRuntime> rt;
  try {
    s = start_up(opts, env);
    rt = std::make_unique<HostRuntime>(s, true);
  } catch (const StartupFailed& failed) {
    for (const auto& line : failed.lines()) err << line << "\n";
    return kExitUsage;
  }
  if (rt->providers().empty()) {
    err << s.config_label << ": /providers: no provider is configured; add a section such as "
        << "\"providers\": {\"<name>\": {...}} (see `cardsync plugins list`)\n";
    return kExitUsage;
  }
  // The id of this run (or worker session): on its own log lines and on the jobs it enqueues.
  const std::string run_id = log::new_request_id();
  if (is_run) {
    std::vector<queue::NewJob> jobs;
    for (const auto& p : rt->providers()) {
      auto planned = p->plan("");
      if (planned.status != CS_OK) {
        err << "provider '" << p->name() << "' could not plan its sync: " << planned.error << "\n";
        return planned.status == CS_FATAL ? kExitUsage : kExitWorkFailed;
      }
      // A section kept for lookups, say, has no sync: nothing was asked of it, so it is
      // neither a failure nor silent.
      if (planned.output.jobs.empty()) {
        rt->logger().info("provider has nothing to plan: skipped", run_id,
                          {{"provider", std::string(p->name())}});
        continue;
      }
      for (auto& j : planned.output.jobs) {
        j.request_id = run_id;
        jobs.push_back(std::move(j));
      }
    }
    try {
      auto results = rt->queue().enqueue(jobs);
      int64_t dup = 0;
      for (const auto& r : results) dup += r.duplicate ? 1 : 0;
      rt->logger().info("sync enqueued", run_id,
                        {{"jobs", static_cast<int64_t>(jobs.size())}, {"already_queued", dup}});
    } catch (const queue::StorageError& e) {
      err << "cannot enqueue the sync: " << e.what() << "\n";
      return kExitWorkFailed;
    }
  }
  return work(*rt, signal, once, run_id, out, err);
}

}  // namespace cardsync::cli
