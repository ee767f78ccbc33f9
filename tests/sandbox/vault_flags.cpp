#include "sandbox/vault_flags.hpp"

#include "sandbox/sandbox_options.hpp"

namespace cardsync::sandbox {

namespace po = boost::program_options;

po::options_description vault_flags(const VaultOptions& defaults) {
  po::options_description d("Vault API v1 (mounted at /vault/v1; same seed and --invalid-rate)");
  d.add_options()("vault-sets", po::value<std::uint32_t>()->default_value(defaults.shape.sets),
                  "sets (from 3 on, the last one is announced: no release date, no cards)")(
      "vault-cards-per-set",
      po::value<std::uint32_t>()->default_value(defaults.shape.cards_per_set),
      "cards per set")("vault-token", po::value<std::string>()->default_value(defaults.token),
                       "the accepted bearer token (Authorization: Bearer <token>)")(
      "vault-requests-per-minute",
      po::value<std::uint32_t>()->default_value(defaults.requests_per_minute),
      "requests a sliding minute before 429; 0 = off");
  return d;
}

void read_vault_flags(const po::variables_map& vm, VaultOptions& out) {
  out.shape.sets = vm["vault-sets"].as<std::uint32_t>();
  out.shape.cards_per_set = vm["vault-cards-per-set"].as<std::uint32_t>();
  if (out.shape.sets == 0 || out.shape.sets > 500) {
    throw SandboxUsageError("--vault-sets must be within [1, 500]");
  }
  if (out.shape.cards_per_set == 0 || out.shape.cards_per_set > 999) {
    throw SandboxUsageError("--vault-cards-per-set must be within [1, 999]");
  }
  out.token = vm["vault-token"].as<std::string>();
  if (out.token.empty() || out.token.find_first_of(" \t") != std::string::npos) {
    throw SandboxUsageError("--vault-token must be a non-empty word");
  }
  out.requests_per_minute = vm["vault-requests-per-minute"].as<std::uint32_t>();
}

}  // namespace cardsync::sandbox
