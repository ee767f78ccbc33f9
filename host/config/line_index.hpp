#pragma once
// Where each value of a JSON text sits: JSON Pointer -> line, so a problem found in the parsed
// document (by the schema or by a plugin's own checks) can say "file:line" as an editor
// shows it. A member is placed at its key's line, since that is the text a person fixes.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cardsync::config {

class LineIndex {
 public:
  // Reads `text` with the config parser's syntax (comments, trailing commas). A text that
  // does not parse indexes what came before the error.
  explicit LineIndex(std::string_view text);

  // The line of the value at `pointer`, or of its nearest indexed ancestor; 0 when none.
  std::size_t line_of(const std::string& pointer) const;

 private:
  std::unordered_map<std::string, std::size_t> lines_;
};

}  // namespace cardsync::config
