// The one translation unit only the shared library needs: it exports the plugin. Tests
// compile the other sources into themselves and use ScryfallProvider directly.
#include "scryfall_provider.hpp"

CARDSYNC_EXPORT_PLUGIN(cardsync::scryfall::ScryfallProvider)
