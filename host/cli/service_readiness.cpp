#include "cli/service_readiness.hpp"

#include <systemd/sd-daemon.h>

namespace cardsync::cli {

// sd_notify's result is ignored on purpose: without a manager listening there is no one to
// tell, and a lost notification must not stop a process that is otherwise working.
void notify_service_ready(const std::string& url) {
  const std::string state = "READY=1\nSTATUS=admin server listening on " + url;
  (void)sd_notify(0, state.c_str());
}

void notify_service_stopping() {
  (void)sd_notify(0, "STOPPING=1\nSTATUS=draining the workers");
}

}  // namespace cardsync::cli
