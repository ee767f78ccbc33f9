#pragma once
// A loaded provider as the pipeline uses it: calls through the C vtable with the host's
// emitter, so what a call produced comes back as owned C++ values, and a FATAL latch that
// stops every further job of the provider once its credentials or config are known bad.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_request.hpp"
#include "http/http_response.hpp"
#include "http/url_scope.hpp"
#include "plugin/job_type_names.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/provider_lookups.hpp"
#include "queue/batch_unit.hpp"
#include "queue/new_job.hpp"
#include "queue/storage.hpp"

namespace cardsync::plugin {

struct RejectedItem {
  std::string reason, json_path, raw_item;
};

// Everything one provider call emitted, in emission order per kind.
struct ProviderOutput {
  std::vector<HttpRequest> requests;
  std::vector<queue::RecordItem> records;
  std::vector<RejectedItem> rejects;
  std::vector<queue::NewJob> jobs;
  std::optional<std::string> cursor;
  int64_t rate_per_minute = -1;  // -1: not reported
  int64_t remaining_today = -1;
};

struct ProviderResult {
  cs_status status = CS_OK;
  std::string error;  // the plugin's message when status != OK
  ProviderOutput output;
};

class ProviderRuntime {
 public:
  // `instance` must be a provider. Throws std::invalid_argument otherwise. `scope` is where
  // its requests may go (the origin and path of its config's base_url); without one (a
  // provider whose config has no base_url) every URL it emits is sent. `instance_name` is
  // the config section's name (default: the plugin's): the service for pacing, breaker,
  // quota, metrics and logs, the records' source, and the prefix of the instance's job types.
  // Throws std::invalid_argument when the plugin's job types cannot carry that name.
  explicit ProviderRuntime(std::unique_ptr<Instance> instance,
                           std::optional<UrlScope> scope = std::nullopt,
                           std::string instance_name = {});

  // The instance's name; plugin() is the plugin serving it.
  std::string_view name() const { return name_; }
  std::string_view plugin() const { return instance_->library().name(); }
  std::string_view service() const { return name_; }
  const std::vector<std::string>& job_types() const { return job_types_; }
  bool serves(std::string_view job_type) const;
  const std::optional<UrlScope>& url_scope() const { return scope_; }
  // What the provider can look up by key (none for a plugin older than ABI 1.2).
  const plugin::ProviderLookups& lookups() const { return lookups_; }

  // Why `request` must not be sent, naming the provider, the URL (without its query, which
  // may carry secrets) and the allowed base_url; nullopt when its URL is in scope.
  std::optional<std::string> out_of_scope(const HttpRequest& request) const;

  // Thread-safe (providers are required to be). Never throws for plugin failures: they come
  // back as a status and message.
  ProviderResult plan(std::string_view spec) const;
  ProviderResult start(const queue::StoredJob& job) const;
  ProviderResult handle(const queue::StoredJob& job, const HttpRequest& request,
                        const HttpResponse& response) const;

  // After a FATAL: the provider takes no more jobs. Returns true for the first caller only,
  // so the reason is logged once.
  bool disable(const std::string& reason);
  bool disabled() const { return disabled_.load(std::memory_order_acquire); }
  std::string disabled_reason() const;

 private:
  ProviderResult finish(ProviderResult r) const;

  std::unique_ptr<Instance> instance_;
  const cs_provider_vtable* vtable_;
  std::string name_;
  JobTypeNames names_;
  std::optional<UrlScope> scope_;
  std::vector<std::string> job_types_;
  plugin::ProviderLookups lookups_;
  std::atomic<bool> disabled_{false};
  mutable std::mutex mu_;
  std::string disabled_reason_;
};

}  // namespace cardsync::plugin
