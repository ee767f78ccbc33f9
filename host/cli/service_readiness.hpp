// Readiness for a supervising service manager: under systemd's Type=notify (NOTIFY_SOCKET in
// the environment) `serve` counts as started only once it can do its job, so units ordered
// after cardsync.service, and `systemctl start`, wait for the migrated storage, the loaded
// plugins and the listening admin server. Anywhere else (a shell, a test) these do nothing.
#pragma once

#include <string>

namespace cardsync::cli {

// Storage open and migrated, plugins loaded, admin server listening on `url`.
void notify_service_ready(const std::string& url);
// SIGINT/SIGTERM received: draining, so the manager shows "deactivating" during the drain.
void notify_service_stopping();

}  // namespace cardsync::cli
