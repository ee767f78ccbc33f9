// The one translation unit compiled only into the shared library: it exports the plugin.
// Tests link the other sources statically and use PsaProvider directly.
#include "psa_provider.hpp"

CARDSYNC_EXPORT_PLUGIN(cardsync::psa::PsaProvider)
