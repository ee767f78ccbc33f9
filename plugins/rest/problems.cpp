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

}  // namespace cardsync::rest
