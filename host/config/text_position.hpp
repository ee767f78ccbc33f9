#pragma once
// Line and column of a byte offset, for syntax errors in the config and in schemas.

#include <cstddef>
#include <string_view>

namespace cardsync::config {

struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;  // in characters, so it matches what an editor shows for UTF-8
};

TextPosition position_of(std::string_view text, std::size_t offset);

}  // namespace cardsync::config
