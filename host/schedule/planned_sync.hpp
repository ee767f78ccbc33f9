#pragma once
// What planning a provider's sync produced: the jobs to enqueue, or why there are none. Both
// the scheduler and the admin API's POST /api/v1/syncs enqueue what a plan holds.

#include <string>
#include <vector>

#include "queue/new_job.hpp"

namespace cardsync::schedule {

struct PlannedSync {
  bool ok = false;
  std::string error;
  std::vector<queue::NewJob> jobs;
};

}  // namespace cardsync::schedule
