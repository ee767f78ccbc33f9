#pragma once
// cardsync-sandbox's Vault flags (--vault-sets, --vault-cards-per-set, --vault-token,
// --vault-requests-per-minute), kept beside the API so sandbox_options.cpp only adds them. The
// seed and --invalid-rate are the catalog's own flags.

#include <boost/program_options.hpp>

#include "sandbox/vault_api.hpp"

namespace cardsync::sandbox {

boost::program_options::options_description vault_flags(const VaultOptions& defaults);
// Throws SandboxUsageError naming the flag.
void read_vault_flags(const boost::program_options::variables_map& vm, VaultOptions& out);

}  // namespace cardsync::sandbox
