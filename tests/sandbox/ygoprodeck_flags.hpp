#pragma once
// cardsync-sandbox's YGOPRODeck flags (--ygoprodeck-sets, --ygoprodeck-cards-per-set,
// --ygoprodeck-rate-limit, --ygoprodeck-block-seconds), kept beside the API so
// sandbox_options.cpp only adds them. The seed is the catalog's own flag.

#include <boost/program_options.hpp>

#include "sandbox/ygoprodeck_api.hpp"

namespace cardsync::sandbox {

boost::program_options::options_description ygoprodeck_flags(const YgoProDeckOptions& defaults);
// Throws SandboxUsageError naming the flag.
void read_ygoprodeck_flags(const boost::program_options::variables_map& vm, YgoProDeckOptions& out);

}  // namespace cardsync::sandbox
