#include "admin/build_info.hpp"

#include <cardsync/abi.h>

namespace cardsync::admin {

std::string_view build_version() noexcept {
  return CARDSYNC_VERSION_STRING;
}

std::string build_abi() {
  return std::to_string(CS_ABI_MAJOR) + "." + std::to_string(CS_ABI_MINOR);
}

}  // namespace cardsync::admin
