#pragma once
// The composition root: the storage plugin, the job queue and batch sink over it, the HTTP
// transport and resilient client, and one runtime per configured provider, wired together
// from a validated config. Commands that work the queue build one; nothing else does.

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/startup.hpp"
#include "http/curl_client.hpp"
#include "pipeline/pipeline_listener.hpp"
#include "pipeline/pipeline_options.hpp"
#include "pipeline/run_stats.hpp"
#include "plugin/plugin_storage.hpp"
#include "plugin/provider_runtime.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"
#include "queue/storage_log_sink.hpp"
#include "resilience/resilient_client.hpp"

namespace cardsync::cli {

class HostRuntime {
 public:
  // Opens and migrates the storage; with `with_providers`, creates every configured provider
  // (a provider that fails to start is a config problem: throws StartupFailed).
  HostRuntime(Startup& startup, bool with_providers);
  ~HostRuntime();
  HostRuntime(const HostRuntime&) = delete;
  HostRuntime& operator=(const HostRuntime&) = delete;

  queue::Storage& storage() { return *storage_; }
  // Why the storage cannot be used (a full disk, a read-only database), once a call said so.
  std::optional<std::string> storage_unusable() const { return storage_->unusable(); }
  // When the storage cannot be used: logs that this process stops and why, says so on `err`
  // ("cardsync: stopped: <why>") and returns the reason; nullopt while it can be used.
  std::optional<std::string> report_unusable_storage(std::string_view request_id,
                                                     std::ostream& err);
  queue::JobQueue& queue() { return *queue_; }
  queue::BatchSink& sink() { return *sink_; }
  ResilientClient& client() { return *client_; }
  pipeline::RunStats& stats() { return stats_; }
  const pipeline::PipelineOptions& options() const { return options_; }
  const std::vector<std::shared_ptr<plugin::ProviderRuntime>>& providers() const {
    return providers_;
  }
  pipeline::PipelineParts parts();
  log::Logger& logger() { return *logger_; }
  Clock& clock() { return SystemClock::instance(); }
  // The storage plugin's name, e.g. "sqlite".
  const std::string& storage_name() const { return storage_name_; }
  // Log lines the storage sink dropped because its buffer was full (/metrics).
  int64_t log_drops() const { return log_sink_ ? log_sink_->dropped() : 0; }

 private:
  void create_providers(Startup& s, const rapidjson::Value& resilience);

  std::shared_ptr<log::Logger> logger_;
  std::string storage_name_;
  std::unique_ptr<plugin::PluginStorage> storage_;
  std::shared_ptr<queue::StorageLogSink> log_sink_;
  pipeline::PipelineOptions options_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<queue::BatchSink> sink_;
  std::unique_ptr<CurlClient> transport_;
  pipeline::RunStats stats_;
  std::unique_ptr<pipeline::PipelineListener> listener_;
  std::unique_ptr<ResilientClient> client_;
  std::vector<std::shared_ptr<plugin::ProviderRuntime>> providers_;
};

}  // namespace cardsync::cli
