// `cardsync manifest check FILE...` and `cardsync manifest try FILE --job TYPE:KEY [--pages N]`:
// the loop of someone writing a manifest for a document-driven provider plugin (the REST
// provider). `check` validates files the way `config check` validates a config; `try` runs
// one job's first pages through the real pipeline against the configured upstream and shows
// what came back, storing nothing.
#include <boost/program_options.hpp>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <cardsync/utf8.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/provider_sections.hpp"
#include "cli/startup.hpp"
#include "http/curl_client.hpp"
#include "log/request_id.hpp"
#include "pipeline/job_rehearsal.hpp"
#include "queue/record_kind.hpp"
#include "resilience/random_source.hpp"
#include "resilience/resilience_options.hpp"
#include "secrets/redaction.hpp"

namespace cardsync::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kWord = "manifest";
constexpr const char* kUsage =
    "cardsync manifest check [--plugin NAME] FILE...\n"
    "       cardsync --config C manifest try FILE --job TYPE:KEY [--pages N]";
constexpr std::size_t kRawShown = 200;  // bytes of a rejected item shown

int usage(std::string_view problem, std::ostream& err) {
  err << "cardsync manifest: " << problem << "\nusage: " << kUsage << "\n";
  return kExitUsage;
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

// The loaded provider plugin that reads manifests (`wanted`, when several do); nullptr, with
// the reason in `err`, when there is none or the choice is ambiguous.
std::shared_ptr<const plugin::Library> manifest_plugin(const plugin::Registry& plugins,
                                                       const std::string& wanted,
                                                       std::ostream& err) {
  std::vector<std::shared_ptr<const plugin::Library>> readers;
  for (const auto& lib : plugins.all()) {
    if (lib->kind() != plugin::Kind::provider || lib->document_key() != kWord) continue;
    if (wanted.empty() || lib->name() == wanted) readers.push_back(lib);
  }
  if (readers.size() == 1) return readers.front();
  if (readers.empty()) {
    err << "cardsync manifest: no loaded provider plugin "
        << (wanted.empty() ? "reads manifests" : "named " + wanted + " reads manifests") << "\n";
  } else {
    err << "cardsync manifest: several plugins read manifests (";
    for (std::size_t i = 0; i < readers.size(); ++i) err << (i ? ", " : "") << readers[i]->name();
    err << "); choose one with --plugin\n";
  }
  return nullptr;
}

int check(const plugin::Library& lib, const std::vector<std::string>& files, std::ostream& out,
          std::ostream& err) {
  int status = kExitOk;
  for (const auto& file : files) {
    const auto checked = check_plugin_document(lib, file, file);
    if (!checked->problems.empty()) {
      for (const auto& d : checked->problems) err << d.to_string() << "\n";
      status = kExitUsage;
      continue;
    }
    std::string options;
    if (const auto* props = member(checked->config_schema, "properties")) {
      for (const auto& m : props->GetObject()) {
        options += (options.empty() ? "" : ", ") + std::string(m.name.GetString());
      }
    }
    out << file << ": valid " << kWord << " for the " << lib.name() << " plugin"
        << (options.empty() ? "" : "; its options: " + options) << "\n";
  }
  return status;
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec1;
  std::error_code ec2;
  const auto ca = std::filesystem::weakly_canonical(a, ec1);
  const auto cb = std::filesystem::weakly_canonical(b, ec2);
  return !ec1 && !ec2 && ca == cb;
}

void print_output(const plugin::ProviderOutput& o, std::ostream& out) {
  for (const auto& r : o.records) {
    out << "  record " << queue::kind_name(r.kind) << " " << r.key
        << (r.parent_key.empty() ? "" : " (parent " + r.parent_key + ")") << " " << r.core_json
        << "\n";
  }
  for (const auto& r : o.rejects) {
    const std::string raw = r.raw_item.size() > kRawShown
                                ? std::string(sdk::utf8_prefix(r.raw_item, kRawShown)) + "..."
                                : r.raw_item;
    out << "  reject at " << (r.json_path.empty() ? "/" : r.json_path) << ": " << r.reason
        << "\n    " << raw << "\n";
  }
  for (const auto& j : o.jobs) out << "  follow-up job " << j.type << " " << j.key << "\n";
  if (o.cursor) out << "  cursor " << *o.cursor << "\n";
  for (const auto& r : o.requests) {
    out << "  next request " << r.method << " " << redact_text(r.url) << "\n";
  }
}

int try_job(Startup& s, const std::string& file, const std::string& job_arg, int pages,
            std::ostream& out, std::ostream& err) {
  const ProviderSection* instance = nullptr;
  for (const auto& section : s.provider_sections) {
    if (section.document && same_file(section.document->file, file)) instance = &section;
  }
  if (instance == nullptr) {
    const auto lib = manifest_plugin(*s.plugins, {}, err);
    if (!lib) return kExitUsage;
    return usage("no provider section of " + s.config_label + " reads " + file +
                     "; add one such as \"providers\": {\"" +
                     std::filesystem::path(file).stem().string() + "\": {\"plugin\": \"" +
                     std::string(lib->name()) + "\", \"" + kWord + "\": \"" + file + "\"}}",
                 err);
  }
  const auto colon = job_arg.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == job_arg.size()) {
    return usage("--job takes TYPE:KEY, e.g. sets:all", err);
  }
  queue::StoredJob job;
  job.type = job_arg.substr(0, colon);
  if (job.type.find('.') == std::string::npos) job.type = instance->name + "." + job.type;
  job.key = job_arg.substr(colon + 1);
  job.attempts = 1;
  job.request_id = log::new_request_id();

  const rapidjson::Value& root = s.effective.doc;
  const rapidjson::Value& section = *member(*member(root, "providers"), instance->name.c_str());
  std::shared_ptr<plugin::ProviderRuntime> provider;
  try {
    provider = create_provider(*instance, section);
  } catch (const std::exception& e) {
    err << "cardsync manifest: " << e.what() << "\n";
    return kExitUsage;
  }
  if (!provider->serves(job.type)) {
    std::string types;
    for (const auto& t : provider->job_types()) types += (types.empty() ? "" : ", ") + t;
    return usage("instance " + instance->name + " serves no job type " + job.type + " (it serves " +
                     types + ")",
                 err);
  }
  rapidjson::Value empty(rapidjson::kObjectType);
  const rapidjson::Value* resilience = member(root, "resilience");
  const ResilienceOptions defaults =
      ResilienceOptions::from_json(resilience != nullptr ? *resilience : empty);
  CurlClient transport(SystemClock::instance(), defaults.http);
  ResilientClient client(transport, SystemClock::instance(), SystemRandom::instance(), nullptr,
                         defaults);
  client.configure(provider->service(),
                   ResilienceOptions::for_provider(resilience != nullptr ? *resilience : empty,
                                                   instance->name, section));

  const auto rehearsal = pipeline::rehearse_job(*provider, client, SystemClock::instance(), job,
                                                pages, std::chrono::seconds(60));
  out << "job " << job.type << " " << job.key << " (request id " << job.request_id << ")\n";
  out << "start:\n";
  print_output(rehearsal.start.output, out);
  int n = 0;
  for (const auto& page : rehearsal.pages) {
    out << "page " << ++n << ": " << page.request.method << " " << redact_text(page.request.url);
    if (page.response) {
      out << " -> HTTP " << page.response->status << ", " << page.response->body.size() << " bytes";
    }
    out << "\n";
    print_output(page.result.output, out);
    if (!page.failure.empty()) out << "  failed: " << page.failure << "\n";
  }
  out << "stopped: " << rehearsal.stopped << "; nothing was stored\n";
  return rehearsal.ok ? kExitOk : kExitWorkFailed;
}

}  // namespace

int run_manifest_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                         std::ostream& err) {
  po::options_description desc;
  desc.add_options()("job", po::value<std::string>(), "TYPE:KEY of the job to try")(
      "pages", po::value<int>()->default_value(1), "responses to fetch at most")(
      "plugin", po::value<std::string>(), "the plugin whose manifests to check, when several")(
      "positional", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("positional", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(opts.args)
                  .options(desc)
                  .positional(pos)
                  .style(po::command_line_style::unix_style)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return usage(e.what(), err);
  }
  std::vector<std::string> words;
  if (vm.count("positional") != 0) words = vm["positional"].as<std::vector<std::string>>();
  if (words.empty() || (words[0] != "check" && words[0] != "try")) {
    return usage("expected check or try", err);
  }
  const std::string sub = words[0];
  words.erase(words.begin());
  if (words.empty()) return usage(sub + " needs a manifest file", err);

  if (sub == "check") {
    // The config only says where plugins are; its own problems are not this command's.
    Startup partial;
    std::unique_ptr<plugin::Registry> plugins;
    try {
      Startup s = start_up(opts, env, &partial);
      plugins = std::move(s.plugins);
    } catch (const StartupFailed&) {
      plugins = std::move(partial.plugins);
    }
    if (!plugins) return usage("could not load the plugins (run `cardsync plugins list`)", err);
    const auto lib = manifest_plugin(
        *plugins, vm.count("plugin") != 0 ? vm["plugin"].as<std::string>() : std::string(), err);
    return lib ? check(*lib, words, out, err) : kExitUsage;
  }

  if (words.size() != 1) return usage("try takes one manifest file", err);
  if (vm.count("job") == 0) return usage("try needs --job TYPE:KEY", err);
  const int pages = vm["pages"].as<int>();
  if (pages < 1) return usage("--pages must be at least 1", err);
  try {
    Startup s = start_up(opts, env);
    return try_job(s, words[0], vm["job"].as<std::string>(), pages, out, err);
  } catch (const StartupFailed& failed) {
    for (const auto& line : failed.lines()) err << line << "\n";
    return kExitUsage;
  }
}

}  // namespace cardsync::cli
