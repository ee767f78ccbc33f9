#pragma once
// JSON Pointer (RFC 6901) paths, the way every diagnostic names a place in the config.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::config {

// "/a" + "b/c" -> "/a/b~1c" ('~' and '/' are escaped as the RFC requires).
std::string append_pointer(std::string_view pointer, std::string_view key);
std::string append_pointer(std::string_view pointer, std::size_t index);

// "/a/b~1c" -> {"a", "b/c"}; "" -> {}.
std::vector<std::string> split_pointer(std::string_view pointer);

}  // namespace cardsync::config
