#pragma once
// Which build this is, for cardsync_build_info on /metrics: the release version and the
// plugin ABI version the host speaks (abi.h).

#include <string>
#include <string_view>

namespace cardsync::admin {

std::string_view build_version() noexcept;
// "<major>.<minor>".
std::string build_abi();

}  // namespace cardsync::admin
