#include "config/text_position.hpp"

#include <algorithm>

namespace cardsync::config {

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition pos;
  offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((c & 0xC0U) != 0x80U) {  // continuation bytes belong to the previous character
      ++pos.column;
    }
  }
  return pos;
}

}  // namespace cardsync::config
