#pragma once
// The JSON Schemas this plugin ships (config_schema.json, schemas/*.json), compiled into the
// library by cardsync_plugin_schemas so nothing is read from disk at run time.

#include <cardsync/validation.hpp>

#include "psa_embedded_schemas.hpp"

namespace cardsync::psa {

struct ItemSchemas {
  sdk::ItemSchema cert{embedded::psa_cert_schema};    // the PSACert object
  sdk::ItemSchema image{embedded::psa_image_schema};  // one element of the images array
};

}  // namespace cardsync::psa
