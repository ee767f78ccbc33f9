#include "problems.hpp"

namespace cardsync::rest {

std::string Problems::summary() const {
  std::string out;
  for (const auto& p : list_) {
    if (!out.empty()) out += "\n";
    out += (p.pointer.empty() ? std::string("/") : p.pointer) + ": " + p.message;
  }
  return out;
}

std::string pointer_token(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace cardsync::rest
