#include "cli/host_runtime.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <stdexcept>

#include "cli/provider_sections.hpp"
#include "log/log_options.hpp"
#include "plugin/plugin_instance.hpp"
#include "resilience/random_source.hpp"

namespace cardsync::cli {
namespace {

std::string section_json(const rapidjson::Value& section) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  section.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

}  // namespace

HostRuntime::HostRuntime(Startup& s, bool with_providers) : logger_(s.logger) {
  const rapidjson::Value& root = s.effective.doc;
  options_ = pipeline::read_pipeline_options(member(root, "pipeline"));

  std::string storage_config = "{}";
  storage_name_ = kDefaultStorage;
  if (const auto* storage = member(root, "storage");
      storage != nullptr && storage->IsObject() && storage->MemberCount() == 1) {
    storage_name_ = storage->MemberBegin()->name.GetString();
    storage_config = section_json(storage->MemberBegin()->value);
  }
  auto lib = s.plugins->find(plugin::Kind::storage, storage_name_);
  if (!lib) {
    throw StartupFailed({"storage plugin '" + storage_name_ + "' is not installed in " +
                         (s.plugin_dirs.empty() ? std::string("any plugin directory")
                                                : s.plugin_dirs.front().string()) +
                         "; see `cardsync plugins list`"});
  }
  try {
    storage_ = std::make_unique<plugin::PluginStorage>(
        std::shared_ptr<plugin::Instance>(plugin::Instance::create(lib, storage_config)));
    storage_->migrate();
  } catch (const queue::StorageError& e) {
    throw StartupFailed({e.what()});  // already names the storage and the operation
  } catch (const plugin::PluginError& e) {
    throw StartupFailed({e.what()});  // already names the plugin and its file
  } catch (const std::exception& e) {
    throw StartupFailed({std::string("storage '") + storage_name_ + "': " + e.what()});
  }

  queue_ = std::make_unique<queue::JobQueue>(*storage_, clock(), options_.queue);
  sink_ = std::make_unique<queue::BatchSink>(*storage_, *queue_, clock(), options_.batch);
  const rapidjson::Value* resilience = member(root, "resilience");
  rapidjson::Value empty(rapidjson::kObjectType);
  ResilienceOptions defaults =
      ResilienceOptions::from_json(resilience != nullptr ? *resilience : empty);
  transport_ = std::make_unique<CurlClient>(clock(), defaults.http);
  listener_ = std::make_unique<pipeline::PipelineListener>(*logger_, stats_);
  client_ = std::make_unique<ResilientClient>(*transport_, clock(), SystemRandom::instance(),
                                              listener_.get(), defaults);
  if (with_providers) create_providers(s, resilience != nullptr ? *resilience : empty);

  // Last, so nothing below can throw with the logger holding a sink into our storage: from
  // here on, log lines are also stored, and operators can search them by request id.
  const log::LogOptions log_options = log::read_log_options(member(root, "log"));
  queue::StorageLogSinkOptions log_sink_options;
  log_sink_options.retention = std::chrono::hours(24 * log_options.retention_days);
  log_sink_ = std::make_shared<queue::StorageLogSink>(*storage_, clock(), log_sink_options);
  logger_->add_sink(log_sink_);
}

void HostRuntime::create_providers(Startup& s, const rapidjson::Value& resilience) {
  const rapidjson::Value* providers = member(s.effective.doc, "providers");
  std::vector<std::string> problems;
  for (const auto& instance : s.provider_sections) {
    const rapidjson::Value* section =
        providers != nullptr ? member(*providers, instance.name.c_str()) : nullptr;
    if (section == nullptr) continue;
    try {
      auto runtime = create_provider(instance, *section);
      client_->configure(runtime->service(),
                         ResilienceOptions::for_provider(resilience, instance.name, *section));
      providers_.push_back(std::move(runtime));
    } catch (const std::exception& e) {
      problems.emplace_back(e.what());
    }
  }
  if (!problems.empty()) throw StartupFailed(std::move(problems));
}

HostRuntime::~HostRuntime() {
  if (sink_) sink_->stop();
  if (log_sink_) {
    // The sink writes through storage_, which dies with this object.
    logger_->remove_sink(log_sink_);
    log_sink_->stop();
  }
}

pipeline::PipelineParts HostRuntime::parts() {
  pipeline::PipelineParts p{*storage_, *queue_, *sink_, *client_, clock(),
                            *logger_,  stats_,  {},     {}};
  p.call_deadline = options_.call_deadline;  // on_new_jobs is set by the worker pool
  return p;
}

std::optional<std::string> HostRuntime::report_unusable_storage(std::string_view request_id,
                                                                std::ostream& err) {
  auto why = storage_unusable();
  if (why) {
    logger().error("storage cannot be used: stopped", request_id, {{"error", *why}});
    err << "cardsync: stopped: " << *why << "\n";
  }
  return why;
}

}  // namespace cardsync::cli
