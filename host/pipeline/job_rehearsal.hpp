#pragma once
// One job's first pages run through its provider and the resilient client (pacing, breaker,
// retries, the provider's URL scope) with nothing stored: no queue, no checkpoint, no record
// written. What someone writing a manifest needs to see, page by page.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "plugin/provider_runtime.hpp"
#include "queue/storage.hpp"
#include "resilience/resilient_client.hpp"

namespace cardsync::pipeline {

struct RehearsedPage {
  HttpRequest request;
  std::optional<HttpResponse> response;  // absent when the call failed without one
  std::string failure;                   // why there is no usable answer; empty otherwise
  plugin::ProviderResult result;         // what the provider made of the answer
};

struct Rehearsal {
  plugin::ProviderResult start;  // the provider's start call
  std::vector<RehearsedPage> pages;
  // Why it stopped: "done" (the job has no next request), "page limit", or the failure.
  std::string stopped;
  bool ok = true;  // false when a call or the provider failed
};

// Runs `job` (its type as the instance names it) for at most `pages` responses. Blocking;
// honours `deadline_per_call` for each request including its retries.
Rehearsal rehearse_job(const plugin::ProviderRuntime& provider, ResilientClient& client,
                       Clock& clock, queue::StoredJob job, int pages,
                       std::chrono::milliseconds deadline_per_call);

}  // namespace cardsync::pipeline
