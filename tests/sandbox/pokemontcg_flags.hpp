#pragma once
// cardsync-sandbox's Pokémon TCG flags (--pokemontcg-sets, --pokemontcg-cards-per-set, the
// key and the limits), kept beside the API so sandbox_options.cpp only adds them. The seed is
// the catalog's own flag.

#include <boost/program_options.hpp>

#include "sandbox/pokemontcg_api.hpp"

namespace cardsync::sandbox {

boost::program_options::options_description pokemontcg_flags(const PokemonTcgOptions& defaults);
// Throws SandboxUsageError naming the flag.
void read_pokemontcg_flags(const boost::program_options::variables_map& vm, PokemonTcgOptions& out);

}  // namespace cardsync::sandbox
