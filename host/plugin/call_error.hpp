#pragma once
// The host's side of the opaque cs_error slot: one per plugin call, filled by set_error.

#include <cardsync/abi.h>

#include <string>

struct cs_error {
  std::string message;
};

namespace cardsync::plugin {

// Text for a failed call: the plugin's message, or a generic one naming the status.
std::string describe_failure(cs_status status, const cs_error& err);
std::string_view to_string(cs_status status);

}  // namespace cardsync::plugin
