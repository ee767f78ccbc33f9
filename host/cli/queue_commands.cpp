// `cardsync queue stats|failed|retry` and `cardsync enqueue`: an operator's hands on the job
// queue of the configured storage. No provider is created, so job types are free-form and
// these commands work while a provider is broken or not installed.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <charconv>
#include <iomanip>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "admin/queue_stats.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/host_runtime.hpp"
#include "cli/startup.hpp"
#include "cli/terminal_text.hpp"
#include "log/request_id.hpp"
#include "queue/failed_jobs_csv.hpp"

namespace cardsync::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kStatsUsage = "cardsync queue stats [--json]";
constexpr const char* kFailedUsage = "cardsync queue failed [--csv] [--type T]";
constexpr const char* kRetryUsage = "cardsync queue retry <id> | --all-failed [--type T]";
constexpr const char* kEnqueueUsage = "cardsync enqueue <type> <key> [--payload JSON]";

int usage(std::string_view command, std::string_view problem, std::string_view synopsis,
          std::ostream& err) {
  err << "cardsync " << command << ": " << problem << "\nusage: " << synopsis << "\n";
  return kExitUsage;
}

// The command's own options plus its positional words. Throws po::error on bad usage.
struct CommandArgs {
  po::variables_map vm;
  std::vector<std::string> positional;
};
CommandArgs parse_args(const std::vector<std::string>& args, const po::options_description& desc) {
  po::options_description all;
  all.add(desc);
  all.add_options()("positional", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("positional", -1);
  CommandArgs out;
  po::store(po::command_line_parser(args)
                .options(all)
                .positional(pos)
                .style(po::command_line_style::unix_style)
                .run(),
            out.vm);
  po::notify(out.vm);
  if (out.vm.count("positional") > 0) {
    out.positional = out.vm["positional"].as<std::vector<std::string>>();
  }
  return out;
}

// Opens the configured storage, runs `fn` with the queue over it and turns storage failures
// into exit code 1 (the work failed) and start-up problems into 2 (nothing was done).
template <typename Fn>
int with_runtime(const GlobalOptions& opts, const config::EnvLookup& env, std::string_view command,
                 std::ostream& err, Fn&& fn) {
  Startup s;
  std::unique_ptr<HostRuntime> rt;
  try {
    s = start_up(opts, env);
    rt = std::make_unique<HostRuntime>(s, false);
  } catch (const StartupFailed& failed) {
    for (const auto& line : failed.lines()) err << line << "\n";
    return kExitUsage;
  }
  try {
    return std::forward<Fn>(fn)(*rt);
  } catch (const queue::StorageError& e) {
    err << "cardsync " << command << ": " << e.what() << "\n";  // e names the storage
    return kExitWorkFailed;
  }
}

constexpr std::array<sdk::JobState, 4> kStates = {sdk::JobState::queued, sdk::JobState::processing,
                                                  sdk::JobState::done, sdk::JobState::failed};

int print_stats(HostRuntime& rt, std::ostream& out) {
  using Row = std::array<int64_t, kStates.size() + 1>;  // one per state, then the row's total
  std::map<std::string, Row> by_type;                   // sorted: a stable, scannable table
  Row totals{};
  for (const auto& s : rt.queue().stats()) {
    auto col =
        static_cast<size_t>(std::find(kStates.begin(), kStates.end(), s.state) - kStates.begin());
    if (col == kStates.size()) continue;  // a state this host does not know
    Row& row = by_type.try_emplace(terminal_line(s.type), Row{}).first->second;
    row[col] += s.count;
    row.back() += s.count;
    totals[col] += s.count;
    totals.back() += s.count;
  }
  size_t type_width = std::string_view("total").size();
  for (const auto& [type, row] : by_type) type_width = std::max(type_width, type.size());
  type_width += 2;
  constexpr int kNumWidth = 12;
  out << std::left << std::setw(static_cast<int>(type_width)) << "type" << std::right;
  for (auto state : kStates) out << std::setw(kNumWidth) << queue::to_string(state);
  out << std::setw(kNumWidth) << "total"
      << "\n";
  auto print_row = [&](const std::string& label, const Row& row) {
    out << std::left << std::setw(static_cast<int>(type_width)) << label << std::right;
    for (int64_t n : row) out << std::setw(kNumWidth) << n;
    out << "\n";
  };
  for (const auto& [type, row] : by_type) print_row(type, row);
  print_row("total", totals);
  return kExitOk;
}

int print_failed(const std::vector<queue::StoredJob>& jobs, std::ostream& out) {
  if (jobs.empty()) {
    out << "no failed jobs\n";
    return kExitOk;
  }
  struct Line {
    std::string id, type, key, attempts, error;
  };
  std::vector<Line> lines;
  lines.push_back({"id", "type", "key", "attempts", "last error"});
  for (const auto& j : jobs) {
    std::string error = "-";
    if (!j.errors.empty()) {
      const auto& last = j.errors.back();
      error = terminal_line(last.message);
      if (last.http_status != 0) error += " (HTTP " + std::to_string(last.http_status) + ")";
    }
    lines.push_back({"#" + std::to_string(j.id), terminal_line(j.type), terminal_line(j.key),
                     std::to_string(j.attempts) + "/" + std::to_string(j.max_attempts),
                     std::move(error)});
  }
  size_t w_id = 0, w_type = 0, w_key = 0, w_attempts = 0;
  for (const auto& l : lines) {
    w_id = std::max(w_id, l.id.size());
    w_type = std::max(w_type, l.type.size());
    w_key = std::max(w_key, l.key.size());
    w_attempts = std::max(w_attempts, l.attempts.size());
  }
  out << std::left;
  for (const auto& l : lines) {
    out << std::setw(static_cast<int>(w_id + 2)) << l.id << std::setw(static_cast<int>(w_type + 2))
        << l.type << std::setw(static_cast<int>(w_key + 2)) << l.key
        << std::setw(static_cast<int>(w_attempts + 2)) << l.attempts << l.error << "\n";
  }
  out << std::right << jobs.size() << (jobs.size() == 1 ? " failed job" : " failed jobs")
      << "; requeue with `cardsync queue retry <id>` or `--all-failed`\n";
  return kExitOk;
}

std::optional<int64_t> parse_job_id(std::string_view text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

int retry_one(HostRuntime& rt, int64_t id, std::ostream& out, std::ostream& err) {
  auto job = rt.queue().find(id);
  if (!job) {
    err << "cardsync queue retry: there is no job #" << id << "\n";
    return kExitWorkFailed;
  }
  if (job->state != sdk::JobState::failed) {
    err << "cardsync queue retry: job #" << id << " is not failed (it is "
        << queue::to_string(job->state) << "); only failed jobs can be retried\n";
    return kExitWorkFailed;
  }
  auto r = rt.queue().retry_failed(id);
  if (r.requeued > 0) {
    out << "requeued job #" << id << " (" << terminal_line(job->type) << " "
        << terminal_line(job->key) << ")\n";
    return kExitOk;
  }
  if (r.skipped > 0) {
    err << "cardsync queue retry: job #" << id << " was not requeued: another "
        << terminal_line(job->type) << " job for key '" << terminal_line(job->key)
        << "' is queued or processing again and will do the same work\n";
    return kExitWorkFailed;
  }
  // Someone else retried it between the look-up and the retry.
  err << "cardsync queue retry: job #" << id << " is not failed any more\n";
  return kExitWorkFailed;
}

int queue_stats(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                std::ostream& err) {
  const std::vector<std::string> rest(opts.args.begin() + 1, opts.args.end());
  po::options_description desc;
  desc.add_options()("json", "print GET /api/v1/queue/stats's JSON");
  bool json = false;
  try {
    auto args = parse_args(rest, desc);
    if (!args.positional.empty()) {
      return usage("queue stats", "unexpected argument '" + args.positional.front() + "'",
                   kStatsUsage, err);
    }
    json = args.vm.count("json") > 0;
  } catch (const po::error& e) {
    return usage("queue stats", e.what(), kStatsUsage, err);
  }
  return with_runtime(opts, env, "queue stats", err, [&](HostRuntime& rt) {
    if (!json) return print_stats(rt, out);
    // The admin API's document, so a script reads the same fields from either.
    out << admin::QueueStats(rt.queue(), rt.clock()).json() << "\n";
    return kExitOk;
  });
}

int queue_failed(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                 std::ostream& err) {
  const std::vector<std::string> rest(opts.args.begin() + 1, opts.args.end());
  po::options_description desc;
  desc.add_options()("csv", "print every column as RFC 4180 CSV")("type", po::value<std::string>(),
                                                                  "only jobs of this type");
  bool csv = false;
  std::string type;
  try {
    auto args = parse_args(rest, desc);
    if (!args.positional.empty()) {
      return usage("queue failed", "unexpected argument '" + args.positional.front() + "'",
                   kFailedUsage, err);
    }
    csv = args.vm.count("csv") > 0;
    if (args.vm.count("type") > 0) type = args.vm["type"].as<std::string>();
  } catch (const po::error& e) {
    return usage("queue failed", e.what(), kFailedUsage, err);
  }
  return with_runtime(opts, env, "queue failed", err, [&](HostRuntime& rt) {
    auto jobs = rt.queue().failed_jobs(type);
    if (!csv) return print_failed(jobs, out);
    queue::write_failed_jobs_csv(out, jobs);
    return kExitOk;
  });
}

int queue_retry(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                std::ostream& err) {
  const std::vector<std::string> rest(opts.args.begin() + 1, opts.args.end());
  po::options_description desc;
  desc.add_options()("all-failed", "requeue every failed job")(
      "type", po::value<std::string>(), "with --all-failed: only jobs of this type");
  std::optional<int64_t> id;
  bool all = false;
  std::string type;
  try {
    auto args = parse_args(rest, desc);
    all = args.vm.count("all-failed") > 0;
    if (args.vm.count("type") > 0) type = args.vm["type"].as<std::string>();
    if (args.positional.size() > 1) {
      return usage("queue retry", "unexpected argument '" + args.positional[1] + "'", kRetryUsage,
                   err);
    }
    if (all && !args.positional.empty()) {
      return usage("queue retry", "give a job id or --all-failed, not both", kRetryUsage, err);
    }
    if (!all && args.positional.empty()) {
      return usage("queue retry", "expected a job id or --all-failed", kRetryUsage, err);
    }
    if (!all && args.vm.count("type") > 0) {
      return usage("queue retry", "--type only applies to --all-failed", kRetryUsage, err);
    }
    if (all && args.vm.count("type") > 0 && type.empty()) {
      return usage("queue retry", "--type must not be empty", kRetryUsage, err);
    }
    if (!all) {
      id = parse_job_id(args.positional.front());
      if (!id) {
        return usage(
            "queue retry",
            "the job id must be a positive integer, found '" + args.positional.front() + "'",
            kRetryUsage, err);
      }
    }
  } catch (const po::error& e) {
    return usage("queue retry", e.what(), kRetryUsage, err);
  }
  return with_runtime(opts, env, "queue retry", err, [&](HostRuntime& rt) {
    if (id) return retry_one(rt, *id, out, err);
    auto r = rt.queue().retry_all_failed(type);
    out << "requeued " << r.requeued << (r.requeued == 1 ? " failed job" : " failed jobs");
    if (!type.empty()) out << " of type " << type;
    if (r.skipped > 0) {
      out << "; " << r.skipped << " left failed because another job for the same type and key "
          << "is queued or processing again";
    }
    out << "\n";
    return kExitOk;
  });
}

}  // namespace

int run_queue_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                      std::ostream& err) {
  const std::string sub = opts.args.empty() ? "" : opts.args.front();
  if (sub == "stats") return queue_stats(opts, env, out, err);
  if (sub == "failed") return queue_failed(opts, env, out, err);
  if (sub == "retry") return queue_retry(opts, env, out, err);
  err << "cardsync queue: expected 'stats', 'failed' or 'retry'"
      << (sub.empty() ? "" : ", found '" + sub + "'") << "\nusage: " << kStatsUsage << "\n       "
      << kFailedUsage << "\n       " << kRetryUsage << "\n";
  return kExitUsage;
}

int run_enqueue_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                        std::ostream& err) {
  po::options_description desc;
  desc.add_options()("payload", po::value<std::string>(), "the job's payload, a JSON text");
  std::string type, key, payload;
  try {
    auto args = parse_args(opts.args, desc);
    if (args.positional.size() < 2) {
      return usage("enqueue",
                   args.positional.empty() ? "expected a job type and a key"
                                           : "expected a key after the type",
                   kEnqueueUsage, err);
    }
    if (args.positional.size() > 2) {
      return usage("enqueue", "unexpected argument '" + args.positional[2] + "'", kEnqueueUsage,
                   err);
    }
    type = args.positional[0];
    key = args.positional[1];
    if (args.vm.count("payload") > 0) payload = args.vm["payload"].as<std::string>();
    if (type.empty()) return usage("enqueue", "the job type must not be empty", kEnqueueUsage, err);
    if (key.empty()) return usage("enqueue", "the job key must not be empty", kEnqueueUsage, err);
    if (args.vm.count("payload") > 0) {
      rapidjson::Document doc;
      doc.Parse<rapidjson::kParseValidateEncodingFlag>(payload.data(), payload.size());
      if (doc.HasParseError()) {
        return usage("enqueue",
                     std::string("--payload is not valid JSON (UTF-8): ") +
                         rapidjson::GetParseError_En(doc.GetParseError()) + " (at offset " +
                         std::to_string(doc.GetErrorOffset()) + ")",
                     kEnqueueUsage, err);
      }
    }
  } catch (const po::error& e) {
    return usage("enqueue", e.what(), kEnqueueUsage, err);
  }
  return with_runtime(opts, env, "enqueue", err, [&](HostRuntime& rt) {
    const std::string request_id = log::new_request_id();
    queue::NewJob job;
    job.type = type;
    job.key = key;
    job.payload = payload;
    job.request_id = request_id;
    auto r = rt.queue().enqueue(job);
    rt.logger().info(r.duplicate ? "job already queued" : "job enqueued", request_id,
                     {{"job_id", r.id}, {"type", type}, {"key", key}, {"duplicate", r.duplicate}});
    if (r.duplicate) {
      out << "already queued as #" << r.id << " (" << type << " " << key << "); nothing added\n";
    } else {
      out << "enqueued job #" << r.id << " (" << type << " " << key << ", request id " << request_id
          << ")\n";
    }
    return kExitOk;
  });
}

}  // namespace cardsync::cli
