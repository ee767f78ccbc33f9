#include "schedule/sync_scheduler.hpp"

#include <algorithm>

#include "log/request_id.hpp"

namespace cardsync::schedule {
namespace {

// How often the thread looks at the schedule; the due times themselves are exact.
constexpr auto kTickEvery = std::chrono::seconds(1);

}  // namespace

SyncScheduler::SyncScheduler(std::vector<ScheduledSync> syncs, queue::JobQueue& queue, Clock& clock,
                             log::Logger& logger)
    : queue_(queue), clock_(clock), logger_(logger) {
  const auto now = clock_.now();
  for (auto& s : syncs) {
    Entry e;
    e.due_now = s.schedule.on_start;
    e.next = s.schedule.every.count() > 0 ? now + s.schedule.every : Clock::SteadyTime::max();
    e.sync = std::move(s);
    entries_.push_back(std::move(e));
  }
}

SyncScheduler::~SyncScheduler() {
  stop();
}

void SyncScheduler::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { loop(); });
}

void SyncScheduler::stop() {
  stop_.cancel();
  if (thread_.joinable()) thread_.join();
}

void SyncScheduler::loop() {
  while (!stop_.cancelled()) {
    tick();
    if (!clock_.sleep_for(kTickEvery, stop_)) break;
  }
}

bool SyncScheduler::running(const ScheduledSync& sync) {
  for (const auto& s : queue_.stats()) {
    if ((s.state == sdk::JobState::queued || s.state == sdk::JobState::processing) && s.count > 0 &&
        std::find(sync.job_types.begin(), sync.job_types.end(), s.type) != sync.job_types.end()) {
      return true;
    }
  }
  return false;
}

int SyncScheduler::tick() {
  std::lock_guard lock(mu_);
  int planned = 0;
  const auto now = clock_.now();
  for (auto& e : entries_) {
    const bool due = e.due_now || now >= e.next;
    if (!due) continue;
    e.due_now = false;
    if (e.sync.schedule.every.count() > 0) {
      // From the due time, not from now, so the cadence does not drift; a long pause skips
      // the missed runs rather than firing them back to back.
      while (e.next <= now) e.next += e.sync.schedule.every;
    }
    const std::string run_id = log::new_request_id();
    try {
      if (running(e.sync)) {
        e.counts.skipped_running += 1;
        logger_.info("scheduled sync skipped: the previous run is still going", run_id,
                     {{"provider", e.sync.provider}});
        continue;
      }
      PlannedSync plan = e.sync.plan();
      if (!plan.ok) {
        e.counts.failed += 1;
        logger_.error("scheduled sync could not be planned", run_id,
                      {{"provider", e.sync.provider}, {"error", plan.error}});
        continue;
      }
      if (plan.jobs.empty()) {
        logger_.info("scheduled sync has nothing to plan: skipped", run_id,
                     {{"provider", e.sync.provider}});
        continue;
      }
      for (auto& j : plan.jobs) j.request_id = run_id;
      const auto results = queue_.enqueue(plan.jobs);
      int64_t duplicates = 0;
      for (const auto& r : results) duplicates += r.duplicate ? 1 : 0;
      e.counts.planned += 1;
      ++planned;
      logger_.info("scheduled sync enqueued", run_id,
                   {{"provider", e.sync.provider},
                    {"jobs", static_cast<int64_t>(plan.jobs.size())},
                    {"already_queued", duplicates}});
    } catch (const std::exception& ex) {
      e.counts.failed += 1;
      logger_.warn("scheduled sync could not be enqueued", run_id,
                   {{"provider", e.sync.provider}, {"error", ex.what()}});
    }
  }
  return planned;
}

std::vector<SyncScheduler::Counts> SyncScheduler::counts() const {
  std::lock_guard lock(mu_);
  std::vector<Counts> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.counts);
  return out;
}

}  // namespace cardsync::schedule
