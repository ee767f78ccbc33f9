#pragma once
// Process exit codes, documented in README and `cardsync --help`.

namespace cardsync::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitWorkFailed = 1;  // the work ran and some of it failed
inline constexpr int kExitUsage = 2;       // bad usage, config or plugins: nothing was done

}  // namespace cardsync::cli
