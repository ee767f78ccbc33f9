#include "sandbox/psa_flags.hpp"

#include "sandbox/sandbox_options.hpp"

namespace cardsync::sandbox {

namespace po = boost::program_options;

po::options_description psa_flags(const PsaOptions& defaults) {
  po::options_description psa("PSA (mounted at /publicapi)");
  psa.add_options()("psa-token", po::value<std::string>()->default_value(defaults.token),
                    "the accepted token (Authorization: bearer <token>); others get PSA's 500")(
      "psa-daily-quota", po::value<std::uint64_t>()->default_value(defaults.daily_quota),
      "PSA calls per UTC day before 429; 0 = off");
  return psa;
}

void read_psa_flags(const po::variables_map& vm, PsaOptions& out) {
  out.token = vm["psa-token"].as<std::string>();
  if (out.token.empty()) throw SandboxUsageError("--psa-token must not be empty");
  out.daily_quota = vm["psa-daily-quota"].as<std::uint64_t>();
}

}  // namespace cardsync::sandbox
