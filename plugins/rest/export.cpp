// The one translation unit only the shared library needs: it exports the plugin. Tests link
// the other sources (cardsync_rest) and use RestProvider or rest_descriptor() directly.
#include "rest_provider.hpp"

extern "C" __attribute__((visibility("default"))) const cs_plugin_descriptor* cardsync_plugin_query(
    void) {  // NOLINT(modernize-redundant-void-arg): the exported C symbol
  return ::cardsync::rest::rest_descriptor();
}
