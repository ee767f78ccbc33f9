#pragma once
// cardsync-sandbox's Scryfall flags (--scryfall-sets, --scryfall-cards-per-set,
// --scryfall-page-size), kept beside the Scryfall API so sandbox_options.cpp only adds them.
// The seed and --invalid-rate are the catalog's own flags.

#include <boost/program_options.hpp>

#include "sandbox/scryfall_catalog.hpp"

namespace cardsync::sandbox {

boost::program_options::options_description scryfall_flags(const ScryfallShape& defaults);
// Throws SandboxUsageError naming the flag.
void read_scryfall_flags(const boost::program_options::variables_map& vm, ScryfallShape& out);

}  // namespace cardsync::sandbox
