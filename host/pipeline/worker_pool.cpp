#include "pipeline/worker_pool.hpp"

namespace cardsync::pipeline {

namespace {
PipelineParts with_hook(PipelineParts parts, std::function<void()> hook) {
  parts.on_new_jobs = std::move(hook);
  return parts;
}
}  // namespace

WorkerPool::WorkerPool(PipelineParts parts,
                       std::vector<std::shared_ptr<plugin::ProviderRuntime>> providers,
                       WorkerOptions options)
    : parts_(with_hook(std::move(parts), [this] { nudge(); })),
      providers_(std::move(providers)),
      options_(options),
      runner_(parts_),
      wakeup_(
          parts_.storage, parts_.clock, parts_.logger, [this] { nudge(); }, options.wakeup) {}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  // Workers start idle: nothing they have not claimed yet can hold a batch back.
  idle_workers_ = options_.workers;
  for (int i = 0; i < options_.workers; ++i) {
    parts_.sink.producer_joined();
    threads_.emplace_back([this] { worker_loop(); });
  }
  threads_.emplace_back([this] { heartbeat_loop(); });
  wakeup_.start();
}

void WorkerPool::stop() {
  stop_.cancel();
  wakeup_.stop();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
  // Units the workers handed over still call back into this pool (nudge) when they commit.
  parts_.sink.flush();
}

int WorkerPool::in_flight() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(in_flight_.size());
}

std::vector<std::string> WorkerPool::active_types() const {
  std::vector<std::string> types;
  for (const auto& p : providers_) {
    if (p->disabled()) continue;
    types.insert(types.end(), p->job_types().begin(), p->job_types().end());
  }
  return types;
}

void WorkerPool::nudge() {
  CancellationToken old;
  {
    std::lock_guard lock(mu_);
    old = idle_;
    idle_ = CancellationToken();
  }
  old.cancel();
}

plugin::ProviderRuntime* WorkerPool::provider_for(const std::string& type) const {
  for (const auto& p : providers_) {
    if (p->serves(type)) return p.get();
  }
  return nullptr;
}

void WorkerPool::set_idle(bool idle) {
  CancellationToken settled;
  {
    std::lock_guard lock(mu_);
    idle_workers_ += idle ? 1 : -1;
    if (idle && idle_workers_ == options_.workers) {
      settled = settled_;
      settled_ = CancellationToken();
    }
  }
  if (idle) {
    parts_.sink.producer_idle();
  } else {
    parts_.sink.producer_busy();
  }
  settled.cancel();
}

CancellationToken WorkerPool::settled() const {
  std::lock_guard lock(mu_);
  return settled_;
}

void WorkerPool::worker_loop() {
  // The sink commits what this worker handed it as soon as no worker has more to add.
  bool idle = true;
  while (!stop_.cancelled()) {
    CancellationToken nudged;
    {
      std::lock_guard lock(mu_);
      nudged = idle_;
    }
    auto types = active_types();
    std::vector<queue::StoredJob> jobs;
    if (!types.empty()) {
      try {
        jobs = parts_.queue.claim(1, types);
      } catch (const queue::StorageError& e) {
        parts_.logger.warn("cannot claim jobs; will try again", {}, {{"error", e.what()}});
      }
    }
    if (jobs.empty()) {
      if (!idle) set_idle(true);
      idle = true;
      // Wake on stop, on a nudge, or after the poll interval.
      auto stop_reg = stop_.on_cancel([nudged] { nudged.cancel(); });
      parts_.clock.sleep_for(options_.idle_poll, nudged);
      continue;
    }
    if (idle) set_idle(false);
    idle = false;
    for (auto& job : jobs) {
      plugin::ProviderRuntime* provider = provider_for(job.type);
      {
        std::lock_guard lock(mu_);
        in_flight_.emplace(job.id, job);
      }
      if (provider == nullptr) {
        // Claimed by type filter, so this cannot happen unless providers changed under us.
        parts_.logger.error("no provider serves this job type", job.request_id,
                            {{"job_type", job.type}});
      } else {
        runner_.run(*provider, job, stop_);
      }
      std::lock_guard lock(mu_);
      in_flight_.erase(job.id);
    }
  }
  {
    std::lock_guard lock(mu_);
    if (idle) --idle_workers_;
  }
  parts_.sink.producer_left(idle);
}

void WorkerPool::heartbeat_loop() {
  while (parts_.clock.sleep_for(options_.heartbeat_every, stop_)) {
    std::vector<queue::StoredJob> jobs;
    {
      std::lock_guard lock(mu_);
      for (const auto& [id, job] : in_flight_) jobs.push_back(job);
    }
    for (const auto& job : jobs) {
      try {
        if (!parts_.queue.heartbeat(job)) {
          parts_.logger.warn("lost a job's lease (it was rescued); its result will be fenced off",
                             job.request_id, {{"job_id", job.id}, {"job_type", job.type}});
        }
      } catch (const queue::StorageError& e) {
        parts_.logger.warn("heartbeat failed; will try again", job.request_id,
                           {{"job_id", job.id}, {"error", e.what()}});
      }
    }
  }
}

}  // namespace cardsync::pipeline
