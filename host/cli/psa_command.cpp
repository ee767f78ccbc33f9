// `cardsync psa lookup <cert> [--json]`: one PSA cert as a shop's counter sees it, through the
// host's cert cache (host/cache): fresh from storage, stale with a refresh queued, fetched
// from PSA now when missing, or "queued" with the job id when PSA cannot be called now.
#include <boost/program_options.hpp>
#include <chrono>
#include <iomanip>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "cache/cert_lookup.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/host_runtime.hpp"
#include "cli/startup.hpp"
#include "log/request_id.hpp"

namespace cardsync::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kLookupUsage = "cardsync psa lookup <cert> [--json]";

int usage(std::string_view problem, std::ostream& err) {
  err << "cardsync psa lookup: " << problem << "\nusage: " << kLookupUsage << "\n";
  return kExitUsage;
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string age_text(std::chrono::milliseconds age) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(age).count();
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  if (s < 172800) return std::to_string(s / 3600) + " h";
  return std::to_string(s / 86400) + " days";
}

std::string field_text(const rapidjson::Value& v) {
  if (v.IsString()) return v.GetString();
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsNumber()) {
    std::ostringstream os;
    os << v.GetDouble();
    return os.str();
  }
  return {};
}

void print_text(const cache::CertAnswer& a, std::ostream& out) {
  out << "cert " << (a.cert.empty() ? "-" : a.cert) << ": " << cache::to_string(a.status);
  if (a.age) out << " (fetched " << age_text(*a.age) << " ago)";
  out << "\n";
  if (!a.message.empty()) out << "  " << a.message << "\n";
  if (a.status == cache::CertStatus::stale && a.job_id) {
    out << "  refresh queued as job #" << *a.job_id << "; a worker (`cardsync worker`) runs it\n";
  }
  if (a.status == cache::CertStatus::queued && a.retry_at) {
    const auto in = std::chrono::duration_cast<std::chrono::milliseconds>(
        *a.retry_at - std::chrono::system_clock::now());
    out << "  ask again in " << age_text(std::max(in, std::chrono::milliseconds(0))) << "\n";
  }
  if (!a.cert_json) return;
  rapidjson::Document core;
  core.Parse(a.cert_json->c_str());
  if (core.HasParseError() || !core.IsObject()) return;
  const std::pair<const char*, const char*> rows[] = {{"grade", "grade"},
                                                      {"subject", "subject"},
                                                      {"year", "year"},
                                                      {"brand", "brand"},
                                                      {"category", "category"},
                                                      {"card number", "card_number"},
                                                      {"variety", "variety"},
                                                      {"spec id", "spec_id"},
                                                      {"population", "population"},
                                                      {"pop. higher", "population_higher"}};
  out << std::left;
  for (const auto& [label, key] : rows) {
    const rapidjson::Value* v = member(core, key);
    if (v == nullptr) continue;
    const std::string text = field_text(*v);
    if (text.empty()) continue;
    out << "  " << std::setw(14) << label << text << "\n";
  }
  if (a.no_images)
    out << "  " << std::setw(14) << "images"
        << "none (PSA has no photos)\n";
  for (const auto& image : a.images) {
    out << "  " << std::setw(14) << (image.side + " image") << image.url << "\n";
  }
  out << std::right;
}

int exit_code(cache::CertStatus status) {
  switch (status) {
    case cache::CertStatus::fresh:
    case cache::CertStatus::stale:
    case cache::CertStatus::not_found:
      return kExitOk;
    case cache::CertStatus::invalid:
      return kExitUsage;
    case cache::CertStatus::queued:
    case cache::CertStatus::unavailable:
      return kExitWorkFailed;
  }
  return kExitWorkFailed;
}

int lookup(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
           std::ostream& err) {
  const std::vector<std::string> rest(opts.args.begin() + 1, opts.args.end());
  po::options_description desc;
  desc.add_options()("json", "print the answer as JSON")("positional",
                                                         po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("positional", -1);
  po::variables_map vm;
  std::vector<std::string> words;
  try {
    po::store(po::command_line_parser(rest)
                  .options(desc)
                  .positional(pos)
                  .style(po::command_line_style::unix_style)
                  .run(),
              vm);
    po::notify(vm);
    if (vm.count("positional") > 0) words = vm["positional"].as<std::vector<std::string>>();
  } catch (const po::error& e) {
    return usage(e.what(), err);
  }
  if (words.empty()) return usage("expected a cert number", err);
  // "1234 5678" typed without quotes arrives as two words: one cert, as the user meant.
  std::string raw;
  for (const auto& w : words) raw += w;
  const bool json = vm.count("json") > 0;

  Startup s;
  std::unique_ptr<HostRuntime> rt;
  try {
    s = start_up(opts, env);
    rt = std::make_unique<HostRuntime>(s, true);
  } catch (const StartupFailed& failed) {
    for (const auto& line : failed.lines()) err << line << "\n";
    return kExitUsage;
  }
  const cache::CertCacheOptions defaults;
  std::shared_ptr<plugin::ProviderRuntime> provider;
  for (const auto& p : rt->providers()) {
    if (p->serves(defaults.job_type)) provider = p;
  }
  if (!provider) {
    err << "cardsync psa lookup: no provider serving " << defaults.job_type
        << " is configured: add a providers.psa section (base_url, token) to the config\n";
    return kExitUsage;
  }
  const rapidjson::Value* providers = member(s.effective.doc, "providers");
  const rapidjson::Value* section =
      providers != nullptr ? member(*providers, std::string(provider->name()).c_str()) : nullptr;
  cache::CertLookup lookup(rt->parts(), provider, cache::read_cert_cache_options(section));
  const cache::CertAnswer answer = lookup.lookup(raw, log::new_request_id());
  if (json) {
    out << answer.to_json() << "\n";
  } else {
    print_text(answer, out);
  }
  return exit_code(answer.status);
}

}  // namespace

int run_psa_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                    std::ostream& err) {
  const std::string sub = opts.args.empty() ? "" : opts.args.front();
  if (sub == "lookup") return lookup(opts, env, out, err);
  err << "cardsync psa: expected 'lookup'" << (sub.empty() ? "" : ", found '" + sub + "'")
      << "\nusage: " << kLookupUsage << "\n";
  return kExitUsage;
}

}  // namespace cardsync::cli
