#include "cli/terminal_text.hpp"

#include <cardsync/utf8.hpp>

#include <cstdio>

namespace cardsync::cli {
namespace {

void escape(unsigned code, std::string& out) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", code);
  out += buf;
}

}  // namespace

std::string terminal_line(std::string_view text) {
  const std::string valid = sdk::valid_utf8(text);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto c = static_cast<unsigned char>(valid[i]);
    if (c == '\r' || c == '\n' || c == '\t') {
      if (c == '\r' && i + 1 < valid.size() && valid[i + 1] == '\n') ++i;
      out += ' ';
    } else if (c < 0x20 || c == 0x7f) {
      escape(c, out);
    } else if (c == 0xc2 && i + 1 < valid.size() &&
               static_cast<unsigned char>(valid[i + 1]) < 0xa0) {
      // U+0080..U+009F: the C1 controls (CSI among them) in UTF-8.
      escape(static_cast<unsigned char>(valid[i + 1]), out);
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace cardsync::cli
