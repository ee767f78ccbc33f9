#include "pipeline/worker_host.hpp"

namespace cardsync::pipeline {

WorkerHost::WorkerHost(PipelineParts parts,
                       std::vector<std::shared_ptr<plugin::ProviderRuntime>> providers,
                       const PipelineOptions& options, std::string request_id)
    : queue_(parts.queue),
      clock_(parts.clock),
      logger_(parts.logger),
      // An expired lease waits at most half a lease for its rescue.
      rescue_every_(options.queue.lease / 2),
      request_id_(std::move(request_id)),
      pool_(std::move(parts), std::move(providers), options.workers) {}

void WorkerHost::start() {
  pool_.start();
}

void WorkerHost::run(const CancellationToken& stop, const Tick& tick) {
  auto next_rescue = clock_.now();
  CancellationToken settled = pool_.settled();
  while (!stop.cancelled()) {
    {
      CancellationToken wake;
      auto on_stop = stop.on_cancel([wake] { wake.cancel(); });
      auto on_settled = settled.on_cancel([wake] { wake.cancel(); });
      clock_.sleep_for(kTick, wake);
    }
    // Taken before the tick looks at the pool, so workers settling during it wake the next
    // sleep at once.
    settled = pool_.settled();
    const auto now = clock_.now();
    if (now >= next_rescue) {
      rescue();
      next_rescue = now + rescue_every_;
    }
    if (tick && !tick(now)) break;
  }
}

void WorkerHost::stop() {
  pool_.stop();
}

void WorkerHost::rescue() {
  try {
    auto rescued = queue_.rescue_expired();
    if (rescued.requeued + rescued.failed > 0) pool_.nudge();
  } catch (const queue::StorageError& e) {
    logger_.warn("cannot rescue expired leases", request_id_, {{"error", e.what()}});
  }
}

}  // namespace cardsync::pipeline
