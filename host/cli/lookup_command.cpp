// `cardsync lookup <provider> <key> [--kind K] [--json]`: one item as a shop's counter sees
// it, through the host's lookup service (host/lookup): fresh from storage, stale with a
// refresh queued, fetched from the upstream now when missing, or "queued" with the job id
// when the upstream cannot be called now. `cardsync <provider> lookup <key>` is the same as
// `cardsync lookup <provider> <key>`.
#include <boost/program_options.hpp>
#include <chrono>
#include <iomanip>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <rapidjson/document.h>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/host_runtime.hpp"
#include "cli/startup.hpp"
#include "log/request_id.hpp"
#include "lookup/lookup_service.hpp"

namespace cardsync::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kUsage = "cardsync lookup <provider> <key> [--kind K] [--json]";

int usage(std::string_view command, std::string_view problem, std::ostream& err) {
  err << command << ": " << problem << "\nusage: " << kUsage << "\n";
  return kExitUsage;
}

std::string age_text(std::chrono::milliseconds age) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(age).count();
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  if (s < 172800) return std::to_string(s / 3600) + " h";
  return std::to_string(s / 86400) + " days";
}

// A scalar JSON value as a person reads it; empty for null, objects and arrays.
std::string scalar_text(const rapidjson::Value& v) {
  if (v.IsString()) return {v.GetString(), v.GetStringLength()};
  if (v.IsBool()) return v.GetBool() ? "yes" : "no";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsNumber()) {
    std::ostringstream os;
    os << v.GetDouble();
    return os.str();
  }
  return {};
}

void print_fields(const std::string& json, std::ostream& out) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return;
  for (const auto& m : doc.GetObject()) {
    const std::string text = scalar_text(m.value);
    if (text.empty()) continue;
    out << "  " << std::left << std::setw(20) << m.name.GetString() << std::right << text << "\n";
  }
}

// One line per child: its scalar fields, "name value" pairs.
void print_child(const std::string& json, std::ostream& out) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return;
  std::string line;
  for (const auto& m : doc.GetObject()) {
    const std::string text = scalar_text(m.value);
    if (text.empty()) continue;
    line += (line.empty() ? "" : ", ") + std::string(m.name.GetString()) + " " + text;
  }
  out << "    " << line << "\n";
}

void print_text(const lookup::LookupAnswer& a, std::ostream& out) {
  out << a.provider << " " << a.kind << " " << (a.key.empty() ? "-" : a.key) << ": "
      << lookup::to_string(a.status);
  if (a.age) out << " (fetched " << age_text(*a.age) << " ago)";
  out << "\n";
  if (!a.message.empty()) out << "  " << a.message << "\n";
  if (a.status == lookup::LookupStatus::stale && a.job_id) {
    out << "  refresh queued as job #" << *a.job_id << "; a worker (`cardsync worker`) runs it\n";
  }
  if (a.status == lookup::LookupStatus::queued && a.retry_at) {
    const auto in = std::chrono::duration_cast<std::chrono::milliseconds>(
        *a.retry_at - std::chrono::system_clock::now());
    out << "  ask again in " << age_text(std::max(in, std::chrono::milliseconds(0))) << "\n";
  }
  if (!a.core_json) return;
  print_fields(*a.core_json, out);
  if (a.child_field.empty()) return;
  out << "  " << a.child_field << ":" << (a.children_json.empty() ? " none" : "") << "\n";
  for (const auto& child : a.children_json) print_child(child, out);
}

int exit_code(lookup::LookupStatus status) {
  switch (status) {
    case lookup::LookupStatus::fresh:
    case lookup::LookupStatus::stale:
    case lookup::LookupStatus::not_found:
      return kExitOk;
    case lookup::LookupStatus::invalid:
      return kExitUsage;
    case lookup::LookupStatus::queued:
    case lookup::LookupStatus::unavailable:
      return kExitWorkFailed;
  }
  return kExitWorkFailed;
}

struct LookupArgs {
  std::string provider;
  std::string kind;
  std::string key;
  bool json = false;
};

// `words` after the command word(s). With a fixed provider (the alias) every positional
// word belongs to the key.
std::optional<std::string> parse(const std::vector<std::string>& words, bool provider_given,
                                 LookupArgs& args) {
  po::options_description desc;
  desc.add_options()("json", "print the answer as JSON")(
      "kind", po::value<std::string>(), "which lookup, when the provider has several")(
      "positional", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("positional", -1);
  po::variables_map vm;
  std::vector<std::string> positional;
  try {
    po::store(po::command_line_parser(words)
                  .options(desc)
                  .positional(pos)
                  .style(po::command_line_style::unix_style)
                  .run(),
              vm);
    po::notify(vm);
    if (vm.count("positional") > 0) positional = vm["positional"].as<std::vector<std::string>>();
  } catch (const po::error& e) {
    return std::string(e.what());
  }
  args.json = vm.count("json") > 0;
  if (vm.count("kind") > 0) args.kind = vm["kind"].as<std::string>();
  auto word = positional.begin();
  if (!provider_given) {
    if (word == positional.end()) return std::string("expected a provider and a key");
    args.provider = *word++;
  }
  if (word == positional.end()) return std::string("expected a key");
  // "1234 5678" typed without quotes arrives as two words: one key, as the user meant.
  for (; word != positional.end(); ++word) args.key += *word;
  return std::nullopt;
}

int lookup(const GlobalOptions& opts, const config::EnvLookup& env, const LookupArgs& args,
           std::string_view command, std::ostream& out, std::ostream& err) {
  Startup s;
  std::unique_ptr<HostRuntime> rt;
  try {
    s = start_up(opts, env);
    rt = std::make_unique<HostRuntime>(s, true);
  } catch (const StartupFailed& failed) {
    for (const auto& line : failed.lines()) err << line << "\n";
    return kExitUsage;
  }
  auto providers = s.effective.doc.FindMember("providers");
  lookup::LookupService service(
      rt->parts(), rt->providers(),
      providers == s.effective.doc.MemberEnd() ? nullptr : &providers->value);
  auto result = service.lookup(args.provider, args.kind, args.key, log::new_request_id());
  if (const auto* refusal = std::get_if<lookup::LookupRefusal>(&result)) {
    err << command << ": " << refusal->message << "\n";
    return kExitUsage;
  }
  const auto& answer = std::get<lookup::LookupAnswer>(result);
  if (args.json) {
    out << answer.to_json() << "\n";
  } else {
    print_text(answer, out);
  }
  return exit_code(answer.status);
}

}  // namespace

int run_lookup_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                       std::ostream& err) {
  LookupArgs args;
  if (auto problem = parse(opts.args, false, args)) return usage("cardsync lookup", *problem, err);
  return lookup(opts, env, args, "cardsync lookup", out, err);
}

int run_provider_lookup_alias(const GlobalOptions& opts, const config::EnvLookup& env,
                              std::ostream& out, std::ostream& err) {
  LookupArgs args;
  args.provider = opts.command;
  const std::string command = "cardsync " + opts.command + " lookup";
  const std::vector<std::string> rest(opts.args.begin() + 1, opts.args.end());
  if (auto problem = parse(rest, true, args)) return usage(command, *problem, err);
  return lookup(opts, env, args, command, out, err);
}

}  // namespace cardsync::cli
