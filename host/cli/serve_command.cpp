// `cardsync serve`: the long-running process. The worker pool works the queue, the scheduler
// plans each configured sync at start-up and at its interval, and the admin server answers
// the API, /metrics and the monitor page, until SIGINT or SIGTERM.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <ostream>

#include "admin/admin_api.hpp"
#include "admin/http_server.hpp"
#include "cli/admin_startup.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/host_runtime.hpp"
#include "cli/service_readiness.hpp"
#include "cli/shutdown_signal.hpp"
#include "log/request_id.hpp"
#include "lookup/lookup_service.hpp"
#include "pipeline/worker_host.hpp"
#include "schedule/sync_scheduler.hpp"

namespace cardsync::cli {
namespace {

constexpr const char* kServeUsage = "cardsync serve";
// How often the main loop samples the written-records total for the per-minute chart.
constexpr auto kSampleEvery = std::chrono::seconds(5);

const rapidjson::Value* member(const rapidjson::Value* obj, const char* key) {
  if (obj == nullptr || !obj->IsObject()) return nullptr;
  auto it = obj->FindMember(key);
  return it == obj->MemberEnd() ? nullptr : &it->value;
}

schedule::PlannedSync plan(const plugin::ProviderRuntime& p, std::string_view spec) {
  schedule::PlannedSync out;
  auto planned = p.plan(spec);
  if (planned.status != CS_OK) {
    out.error = planned.error.empty() ? "the provider could not plan its sync" : planned.error;
    return out;
  }
  out.ok = true;
  out.jobs = std::move(planned.output.jobs);
  return out;
}

int64_t records_written(const queue::BatchSink::Stats& st) {
  int64_t n = 0;
  for (int k = 0; k < CS_RECORD_KIND_SLOTS; ++k) {
    n += st.counts.inserted[k] + st.counts.updated[k] + st.counts.unchanged[k];
  }
  return n;
}

}  // namespace

int run_serve_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                      std::ostream& err) {
  if (!opts.args.empty()) {
    err << "cardsync serve: unexpected argument '" << opts.args.front()
        << "'\nusage: " << kServeUsage << "\n";
    return kExitUsage;
  }
  ShutdownSignal signal;  // before any thread starts, so every thread inherits the mask
  auto started = start_up_with_admin(opts, env, err);
  if (!started) return kExitUsage;
  Startup& s = started->startup;
  admin::AdminOptions& options = started->options;
  std::unique_ptr<HostRuntime> rt;
  // Before opening anything: an unsafe admin config must not even start the workers.
  if (auto problems = admin::check_admin_options(options); !problems.empty()) {
    for (const auto& p : problems) err << s.config_label << ": " << p << "\n";
    return kExitUsage;
  }
  try {
    rt = std::make_unique<HostRuntime>(s, true);
  } catch (const StartupFailed& failed) {
    for (const auto& line : failed.lines()) err << line << "\n";
    return kExitUsage;
  }
  const std::string session_id = log::new_request_id();
  if (rt->providers().empty()) {
    rt->logger().warn("no provider is configured: serving the admin API only", session_id);
  }

  auto broadcast = std::make_shared<admin::LogBroadcast>();
  rt->logger().add_sink(broadcast);
  auto per_minute = std::make_shared<admin::RecordsPerMinute>();

  pipeline::WorkerHost workers(rt->parts(), rt->providers(), rt->options(), session_id);

  const rapidjson::Value* providers_section = member(&s.effective.doc, "providers");
  lookup::LookupService lookups(rt->parts(), rt->providers(), providers_section);

  admin::AdminContext ctx{rt->storage(), rt->queue(), rt->clock(), rt->logger()};
  ctx.run_stats = &rt->stats();
  ctx.client = &rt->client();
  ctx.sink_stats = [&rt] { return rt->sink().stats(); };
  ctx.log_drops = [&rt] { return rt->log_drops(); };
  ctx.plugins_loaded = [&rt] { return static_cast<int>(rt->providers().size()) + 1; };
  ctx.lookup_catalog = [&lookups] { return lookups.catalog(); };
  ctx.lookup_cached = [&lookups](std::string_view provider, std::string_view kind,
                                 std::string_view key, std::string_view request_id) {
    return lookups.from_cache(provider, kind, key, request_id);
  };
  ctx.lookup_fetch = [&lookups](const lookup::LookupMiss& miss, std::string_view request_id,
                                Clock::SteadyTime asked_at) {
    return lookups.fetch(miss, request_id, asked_at);
  };
  ctx.plan_sync = [&rt](std::string_view name,
                        std::string_view spec) -> std::optional<schedule::PlannedSync> {
    for (const auto& p : rt->providers()) {
      if (p->name() == name) return plan(*p, spec);
    }
    return std::nullopt;
  };
  ctx.log_broadcast = broadcast;
  ctx.records_per_minute = per_minute;
  ctx.on_new_jobs = [&workers] { workers.pool().nudge(); };
  admin::AdminApi api(options, std::move(ctx));
  admin::HttpServer server(options, api);
  try {
    server.start();
  } catch (const std::exception& e) {
    rt->logger().remove_sink(broadcast);
    err << "cardsync serve: " << e.what() << "\n";
    return kExitUsage;
  }

  std::vector<schedule::ScheduledSync> syncs;
  for (const auto& p : rt->providers()) {
    schedule::ScheduledSync sync;
    sync.provider = std::string(p->name());
    sync.job_types = p->job_types();
    sync.schedule = schedule::read_schedule_options(
        member(member(providers_section, sync.provider.c_str()), "schedule"));
    sync.plan = [p] { return plan(*p, ""); };
    syncs.push_back(std::move(sync));
  }
  schedule::SyncScheduler scheduler(std::move(syncs), rt->queue(), rt->clock(), rt->logger());

  workers.start();
  scheduler.start();
  const std::string url =
      "http://" +
      (options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host) +
      ":" + std::to_string(server.port());
  rt->logger().info("admin server listening", session_id,
                    {{"url", url}, {"auth", options.auth.enabled}});
  out << "cardsync serve: admin server listening on " << url << "/" << std::endl;
  notify_service_ready(url);

  auto& clock = rt->clock();
  auto next_sample = clock.now();
  workers.run(signal.token(), [&](Clock::SteadyTime now) {
    // A full disk or a read-only database does not pass by retrying: stop and say so.
    if (rt->storage_unusable()) return false;
    if (now >= next_sample) {
      per_minute->sample(clock.wall(), records_written(rt->sink().stats()));
      next_sample = now + kSampleEvery;
    }
    return true;
  });
  rt->logger().info("shutting down", session_id, {{"signal", signal.signal()}});
  notify_service_stopping();
  scheduler.stop();
  server.stop();
  workers.stop();
  rt->logger().remove_sink(broadcast);
  if (rt->report_unusable_storage(session_id, err)) return kExitWorkFailed;
  out << "cardsync serve: stopped; in-flight jobs were released and will resume from their "
         "checkpoints"
      << std::endl;
  return kExitOk;
}

}  // namespace cardsync::cli
