#include "config/diagnostic.hpp"

namespace cardsync::config {

std::string Diagnostic::to_string() const {
  std::string out = file;
  out += ": ";
  if (!path.empty()) {
    out += path;
    out += ": ";
  }
  out += message;
  return out;
}

}  // namespace cardsync::config
