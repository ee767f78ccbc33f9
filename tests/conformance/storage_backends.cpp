#include "storage_backend.hpp"

namespace cardsync::conformance {

std::vector<StorageBackend> storage_backends() {
  return {sqlite_backend()};
}

}  // namespace cardsync::conformance
