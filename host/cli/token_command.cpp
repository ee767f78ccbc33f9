// `cardsync token create`: a bearer token for the admin API and the monitor page, signed with
// the key the configured `serve` verifies with, so what it prints is accepted as is.
#include <boost/program_options.hpp>
#include <fstream>
#include <ostream>
#include <sstream>

#include "admin/admin_options.hpp"
#include "admin/jwt_minter.hpp"
#include "admin/jwt_verifier.hpp"
#include "cli/admin_startup.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/startup.hpp"
#include "cli/token_lifetime.hpp"

namespace cardsync::cli {
namespace {

namespace po = boost::program_options;

int fail(std::string_view problem, std::ostream& err) {
  err << "cardsync token create: " << problem << "\n";
  return kExitUsage;
}

po::options_description token_create_options() {
  po::options_description desc("token create options");
  desc.add_options()("role", po::value<std::string>(),
                     "viewer (read) or operator (also retry and enqueue); required")(
      "ttl", po::value<std::string>()->default_value("8h"),
      "lifetime: a whole number of s, m, h or d (at most 366d)")(
      "subject", po::value<std::string>(),
      "the token's sub claim, shown as \"by\" in the audit log (default: $USER)")(
      "private-key", po::value<std::string>(),
      "RS256 only: the PEM private key matching admin.auth.rs256_public_key_file");
  return desc;
}

}  // namespace

int run_token_command(const GlobalOptions& opts, const config::EnvLookup& env, std::ostream& out,
                      std::ostream& err) {
  if (opts.args.empty() || opts.args.front() != "create") {
    err << "cardsync token: expected 'create'"
        << (opts.args.empty() ? "" : ", found '" + opts.args.front() + "'")
        << "\nusage: cardsync token create --role viewer|operator [--ttl 8h] [--subject NAME] "
           "[--private-key FILE]\n";
    return kExitUsage;
  }
  po::variables_map vm;
  try {
    const std::vector<std::string> rest(opts.args.begin() + 1, opts.args.end());
    po::store(po::command_line_parser(rest).options(token_create_options()).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return fail(e.what(), err);
  }
  admin::TokenRequest request;
  const std::string role = vm.count("role") ? vm["role"].as<std::string>() : "";
  if (role == "viewer") {
    request.role = admin::Role::viewer;
  } else if (role == "operator") {
    request.role = admin::Role::operator_;
  } else {
    return fail(role.empty() ? "--role is required: viewer or operator"
                             : "--role must be viewer or operator, found \"" + role + "\"",
                err);
  }
  const std::string ttl = vm["ttl"].as<std::string>();
  const auto lifetime = parse_token_lifetime(ttl);
  if (!lifetime) {
    return fail("--ttl: expected a lifetime such as 90s, 30m, 8h or 7d (at most 366d), found \"" +
                    ttl + "\"",
                err);
  }
  request.lifetime = *lifetime;
  if (vm.count("subject")) {
    request.subject = vm["subject"].as<std::string>();
  } else if (auto user = env("USER"); user && !user->empty()) {
    request.subject = *user;
  } else {
    request.subject = "cli";
  }

  auto started = start_up_with_admin(opts, env, err);
  if (!started) return kExitUsage;
  const Startup& s = started->startup;
  admin::AdminOptions& options = started->options;
  if (!options.auth.enabled) {
    return fail(s.config_label +
                    ": admin.auth.enabled is false: the admin API takes no tokens, so there is "
                    "nothing to sign with",
                err);
  }
  const bool hs256 = options.auth.algorithm == admin::JwtAlgorithm::hs256;
  if (hs256 && vm.count("private-key")) {
    return fail(
        "--private-key is for RS256, but admin.auth.algorithm is HS256 (" + s.config_label + ")",
        err);
  }
  if (hs256 && options.auth.hs256_secret.empty()) {
    return fail(s.config_label +
                    ": admin.auth.hs256_secret is not set (no auth configured): set it, e.g. "
                    "\"${CARDSYNC_ADMIN_SECRET}\" with a secret of at least 32 bytes",
                err);
  }
  if (!hs256 && !vm.count("private-key")) {
    return fail(
        "admin.auth.algorithm is RS256: give the private key that matches "
        "admin.auth.rs256_public_key_file with --private-key FILE",
        err);
  }
  // The same checks `serve` makes: a token for a config that cannot serve is of no use.
  if (auto problems = admin::check_admin_options(options); !problems.empty()) {
    for (const auto& p : problems) err << s.config_label << ": " << p << "\n";
    return kExitUsage;
  }
  std::string key = options.auth.hs256_secret;
  if (!hs256) {
    const std::string file = vm["private-key"].as<std::string>();
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in || text.str().find("PRIVATE KEY-----") == std::string::npos) {
      return fail("--private-key: cannot read a PEM private key from \"" + file + "\"", err);
    }
    key = text.str();
  }
  std::string token;
  try {
    token = admin::mint_token(options.auth.algorithm, key, request, SystemClock::instance());
  } catch (const std::exception& e) {
    return fail(e.what(), err);
  }
  // Verified as `serve` will verify it, so a private key of another pair is caught here.
  const auto check = admin::JwtVerifier(options.auth, SystemClock::instance()).verify(token);
  if (!check.ok) {
    return fail("the configured admin.auth would refuse this token (" + check.problem +
                    "): does --private-key match admin.auth.rs256_public_key_file?",
                err);
  }
  out << token << "\n";
  return kExitOk;
}

}  // namespace cardsync::cli
