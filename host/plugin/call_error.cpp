#include "plugin/call_error.hpp"

namespace cardsync::plugin {

std::string_view to_string(cs_status status) {
  switch (status) {
    case CS_OK:
      return "ok";
    case CS_RETRY:
      return "retry";
    case CS_PERMANENT:
      return "permanent";
    case CS_FATAL:
      return "fatal";
  }
  return "unknown status";
}

std::string describe_failure(cs_status status, const cs_error& err) {
  if (!err.message.empty()) return err.message;
  return "plugin returned status '" + std::string(to_string(status)) + "' without a message";
}

}  // namespace cardsync::plugin
