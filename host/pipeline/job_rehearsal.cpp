#include "pipeline/job_rehearsal.hpp"

#include "plugin/call_error.hpp"

#include <utility>

namespace cardsync::pipeline {
namespace {

void report_limits(ResilientClient& client, std::string_view service,
                   const plugin::ProviderOutput& out) {
  if (out.rate_per_minute > 0) {
    client.report_rate_limit(service, static_cast<double>(out.rate_per_minute));
  }
  if (out.remaining_today >= 0) client.report_daily_remaining(service, out.remaining_today);
}

std::string provider_failure(const plugin::ProviderResult& r) {
  return std::string("the provider answered ") + std::string(plugin::to_string(r.status)) + ": " +
         r.error;
}

}  // namespace

Rehearsal rehearse_job(const plugin::ProviderRuntime& provider, ResilientClient& client,
                       Clock& clock, queue::StoredJob job, int pages,
                       std::chrono::milliseconds deadline_per_call) {
  Rehearsal out;
  out.start = provider.start(job);
  report_limits(client, provider.service(), out.start.output);
  if (out.start.status != CS_OK) {
    out.ok = false;
    out.stopped = provider_failure(out.start);
    return out;
  }
  if (out.start.output.cursor) job.cursor = *out.start.output.cursor;
  std::vector<HttpRequest> pending = out.start.output.requests;
  while (!pending.empty()) {
    if (static_cast<int>(out.pages.size()) >= pages) {
      out.stopped = "page limit";
      return out;
    }
    RehearsedPage page;
    page.request = pending.front();
    pending.erase(pending.begin());
    if (auto refused = provider.out_of_scope(page.request)) {
      out.pages.push_back(std::move(page));
      out.ok = false;
      out.stopped = *refused;
      return out;
    }
    CallOptions call;
    call.service = provider.service();
    call.request_id = job.request_id;
    call.deadline = clock.now() + deadline_per_call;
    CallOutcome outcome = client.execute(page.request, call);
    if (auto* response = std::get_if<HttpResponse>(&outcome)) {
      page.response = *response;
    } else if (auto* later = std::get_if<RetryLater>(&outcome)) {
      page.failure = std::string(to_string(later->reason)) + ": " + later->detail;
    } else {
      auto& failed = std::get<CallFailed>(outcome);
      page.failure = describe(failed);
      if (failed.last_response && failed.last_response->has_response()) {
        page.response = *failed.last_response;
      }
    }
    if (page.response) {
      page.result = provider.handle(job, page.request, *page.response);
      report_limits(client, provider.service(), page.result.output);
      if (page.result.status != CS_OK) page.failure = provider_failure(page.result);
    }
    const bool failed = !page.failure.empty();
    if (!failed) {
      if (page.result.output.cursor) job.cursor = *page.result.output.cursor;
      for (const auto& next : page.result.output.requests) pending.push_back(next);
    }
    out.pages.push_back(std::move(page));
    if (failed) {
      out.ok = false;
      out.stopped = out.pages.back().failure;
      return out;
    }
  }
  out.stopped = "done";
  return out;
}

}  // namespace cardsync::pipeline
