#include "cli/connection_check.hpp"

#include "log/request_id.hpp"
#include "pipeline/job_rehearsal.hpp"
#include "secrets/redaction.hpp"

namespace cardsync::cli {
namespace {

constexpr auto kDeadline = std::chrono::seconds(30);

// The job to probe with, or a reason there is none.
struct ProbeJob {
  std::optional<queue::StoredJob> job;
  std::string problem;
};

ProbeJob probe_job(const plugin::ProviderRuntime& p) {
  ProbeJob out;
  auto planned = p.plan("");
  if (planned.status != CS_OK) {
    out.problem = "could not plan its sync: " + planned.error;
    return out;
  }
  queue::StoredJob job;
  job.attempts = 1;
  job.request_id = log::new_request_id();
  if (!planned.output.jobs.empty()) {
    const auto& first = planned.output.jobs.front();
    job.type = first.type;
    job.key = first.key;
    job.payload = first.payload;
    out.job = std::move(job);
    return out;
  }
  for (const auto& kind : p.lookups().kinds()) {
    if (kind.key_example.empty()) continue;
    const auto key = p.lookups().normalise(kind, kind.key_example);
    if (!key.key) continue;
    job.type = kind.job_type;
    job.key = *key.key;
    out.job = std::move(job);
    return out;
  }
  out.problem = "nothing to plan and no lookup with an example key: nothing to probe with";
  return out;
}

}  // namespace

std::vector<ProviderProbe> probe_providers(HostRuntime& rt) {
  std::vector<ProviderProbe> out;
  for (const auto& p : rt.providers()) {
    ProviderProbe probe;
    probe.provider = std::string(p->name());
    const ProbeJob job = probe_job(*p);
    if (!job.job) {
      probe.detail = job.problem;
      out.push_back(std::move(probe));
      continue;
    }
    const auto r = pipeline::rehearse_job(*p, rt.client(), rt.clock(), *job.job, 1, kDeadline);
    const pipeline::RehearsedPage* page = r.pages.empty() ? nullptr : &r.pages.front();
    probe.ok = r.ok;
    if (page != nullptr) {
      probe.detail = page->request.method + " " + redact_text(page->request.url);
      if (page->response) probe.detail += " -> HTTP " + std::to_string(page->response->status);
    }
    if (!r.ok) {
      const std::string why = page != nullptr && !page->failure.empty() ? page->failure : r.stopped;
      probe.detail = probe.detail.empty() ? why : probe.detail + ": " + why;
    }
    out.push_back(std::move(probe));
  }
  return out;
}

}  // namespace cardsync::cli
