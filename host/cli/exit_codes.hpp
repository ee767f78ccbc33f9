#pragma once
// Process exit codes, documented in README, docs/operations.md ("Stopping: signals and exit
// codes") and `cardsync --help`.

namespace cardsync::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitWorkFailed = 1;  // the work ran and some of it failed
inline constexpr int kExitUsage = 2;       // bad usage, config or plugins: nothing was done
// A second SIGINT/SIGTERM during the orderly stop ends the process at once with this plus the
// signal, as a shell reports a process killed by it (130, 143).
inline constexpr int kExitSignalBase = 128;

}  // namespace cardsync::cli
