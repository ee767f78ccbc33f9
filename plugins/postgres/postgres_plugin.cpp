// The one translation unit compiled only into the shared library: it exports the plugin.
#include "postgres_storage.hpp"

CARDSYNC_EXPORT_PLUGIN(cardsync::postgres::PostgresStorage)
