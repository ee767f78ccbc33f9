#pragma once
// A schema handed to SchemaSet is unusable (bad JSON, unsupported $ref, a name clash). This
// is a bug in the host or in a plugin, not in the user's config, hence an exception.

#include <stdexcept>

namespace cardsync::config {

class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cardsync::config
