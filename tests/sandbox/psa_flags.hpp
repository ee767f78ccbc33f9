#pragma once
// cardsync-sandbox's PSA flags (--psa-token, --psa-daily-quota), kept beside the PSA API so
// sandbox_options.cpp only has to add them.

#include <boost/program_options.hpp>

#include "sandbox/psa_api.hpp"

namespace cardsync::sandbox {

boost::program_options::options_description psa_flags(const PsaOptions& defaults);
// Throws SandboxUsageError naming the flag.
void read_psa_flags(const boost::program_options::variables_map& vm, PsaOptions& out);

}  // namespace cardsync::sandbox
