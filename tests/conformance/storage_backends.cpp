#include "storage_backend.hpp"

namespace cardsync::conformance {

std::vector<StorageBackend> storage_backends() {
  return {sqlite_backend(), postgres_backend()};
}

}  // namespace cardsync::conformance
