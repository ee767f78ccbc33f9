#include "config/line_index.hpp"

#include <rapidjson/reader.h>

#include <algorithm>
#include <vector>

#include "config/json_pointer.hpp"
#include "config/text_position.hpp"

namespace cardsync::config {
namespace {

constexpr unsigned kFlags = rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag;

// A read-only input stream. RapidJSON's own StringStream is copied into the parser for
// speed, so its position would not move while the handler watches it; this one is not.
struct TextStream {
  using Ch = char;
  explicit TextStream(const char* text) : src(text), head(text) {}
  Ch Peek() const { return *src; }
  Ch Take() { return *src++; }
  std::size_t Tell() const { return static_cast<std::size_t>(src - head); }
  // Writing is never asked of an input stream.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch /*c*/) {}
  void Flush() {}
  std::size_t PutEnd(Ch* /*begin*/) { return 0; }
  const char* src;
  const char* head;
};

// SAX handler: keeps the pointer of the value being read and notes each one's line. The
// stream's position is just past the token being reported, which is on that token's line.
class Indexer : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Indexer> {
 public:
  Indexer(std::string_view text, const TextStream& stream,
          std::unordered_map<std::string, std::size_t>& lines)
      : text_(text), stream_(stream), lines_(lines) {}

  bool Default() {
    next_pointer();
    return true;
  }
  bool StartObject() {
    open(false);
    return true;
  }
  bool Key(const char* str, rapidjson::SizeType len, bool /*copy*/) {
    Frame& top = stack_.back();
    top.key.assign(str, len);
    lines_.emplace(append_pointer(top.pointer, top.key), line());
    return true;
  }
  bool EndObject(rapidjson::SizeType /*members*/) {
    stack_.pop_back();
    return true;
  }
  bool StartArray() {
    open(true);
    return true;
  }
  bool EndArray(rapidjson::SizeType /*elements*/) {
    stack_.pop_back();
    return true;
  }

 private:
  struct Frame {
    std::string pointer;
    bool array = false;
    std::size_t index = 0;
    std::string key;
  };

  std::size_t line() const {
    const std::size_t offset = std::min(stream_.Tell(), text_.size());
    return position_of(text_, offset > 0 ? offset - 1 : 0).line;
  }
  std::string next_pointer() {
    std::string pointer;
    if (!stack_.empty()) {
      Frame& top = stack_.back();
      pointer = top.array ? append_pointer(top.pointer, top.index++)
                          : append_pointer(top.pointer, top.key);
    }
    lines_.emplace(pointer, line());
    return pointer;
  }
  void open(bool array) {
    std::string pointer = next_pointer();
    stack_.push_back(Frame{std::move(pointer), array, 0, {}});
  }

  std::string_view text_;
  const TextStream& stream_;
  std::unordered_map<std::string, std::size_t>& lines_;
  std::vector<Frame> stack_;
};

}  // namespace

LineIndex::LineIndex(std::string_view text) {
  // The stream reads up to a NUL: parse a terminated copy.
  const std::string copy(text);
  TextStream stream(copy.c_str());
  Indexer indexer(copy, stream, lines_);
  rapidjson::Reader reader;
  reader.Parse<kFlags>(stream, indexer);
}

std::size_t LineIndex::line_of(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (auto it = lines_.find(p); it != lines_.end()) return it->second;
    if (p.empty()) return 0;
    p.erase(p.rfind('/'));
  }
}

}  // namespace cardsync::config
