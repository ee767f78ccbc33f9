#pragma once
// Text from upstreams and the queue (job types, keys, error messages) on its way to an
// operator's terminal: control characters are shown, not obeyed, so an error message cannot
// move the cursor, recolour the screen or draw a fake prompt; invalid UTF-8 is replaced.

#include <string>
#include <string_view>

namespace cardsync::cli {

// One line: CR, LF and tab become a space, every other C0 or C1 control and DEL becomes its
// escape (`\x1b`), invalid UTF-8 becomes U+FFFD. Pure; thread-safe.
std::string terminal_line(std::string_view text);

}  // namespace cardsync::cli
