#include "pipeline/job_wakeup.hpp"

namespace cardsync::pipeline {

JobWakeup::JobWakeup(queue::Storage& storage, Clock& clock, log::Logger& logger,
                     std::function<void()> on_wake, JobWakeupOptions options)
    : storage_(storage),
      clock_(clock),
      logger_(logger),
      on_wake_(std::move(on_wake)),
      options_(options) {}

JobWakeup::~JobWakeup() {
  stop();
}

bool JobWakeup::start() {
  if (thread_.joinable()) return true;
  if (!storage_.notifies_jobs()) return false;
  thread_ = std::thread([this] { loop(); });
  return true;
}

void JobWakeup::stop() {
  stop_.cancel();
  if (thread_.joinable()) thread_.join();
}

void JobWakeup::loop() {
  bool failing = false;
  while (!stop_.cancelled()) {
    try {
      bool woken = storage_.wait_for_jobs(options_.wait_slice.count());
      if (failing) logger_.info("listening for new jobs again");
      failing = false;
      if (woken && !stop_.cancelled()) on_wake_();
    } catch (const queue::StorageError& e) {
      // One line per outage, not one per attempt; workers keep polling meanwhile.
      if (!failing) {
        logger_.warn("cannot listen for new jobs; workers fall back to polling", {},
                     {{"error", e.what()}});
      }
      failing = true;
      clock_.sleep_for(options_.retry_after_error, stop_);
    }
  }
}

}  // namespace cardsync::pipeline
