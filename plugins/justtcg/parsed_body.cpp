#include "parsed_body.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <utility>
#include <vector>

namespace cardsync::justtcg {
namespace {

using Span = std::pair<std::size_t, std::size_t>;  // [begin, end) in the text

// Feeds SAX events into the document while noting where each object starts and ends. Spans
// are kept in the order objects open, which is the DOM's pre-order.
class SpanRecorder {
 public:
  SpanRecorder(rapidjson::Document& doc, const rapidjson::MemoryStream& stream,
               std::vector<Span>& spans)
      : doc_(doc), stream_(stream), spans_(spans) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartArray() { return doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return doc_.EndArray(n); }
  bool StartObject() {
    // The reader has just consumed '{'.
    open_.push_back(spans_.size());
    spans_.emplace_back(stream_.Tell() - 1, 0);
    return doc_.StartObject();
  }
  bool EndObject(rapidjson::SizeType n) {
    // ... and here '}'.
    spans_[open_.back()].second = stream_.Tell();
    open_.pop_back();
    return doc_.EndObject(n);
  }

 private:
  rapidjson::Document& doc_;
  const rapidjson::MemoryStream& stream_;
  std::vector<Span>& spans_;
  std::vector<std::size_t> open_;
};

void index_objects(const rapidjson::Value& v, const std::vector<Span>& spans, std::size_t& next,
                   std::string_view text,
                   std::unordered_map<const rapidjson::Value*, std::string_view>& out) {
  if (v.IsObject()) {
    if (next < spans.size()) {
      const Span& s = spans[next];
      out.emplace(&v, text.substr(s.first, s.second - s.first));
    }
    ++next;
    for (const auto& m : v.GetObject()) index_objects(m.value, spans, next, text, out);
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) index_objects(e, spans, next, text, out);
  }
}

}  // namespace

ParsedBody::ParsedBody(std::string_view text) : text_(text) {
  std::vector<Span> spans;
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  // Full precision: prices must read back as the digits that were sent.
  constexpr unsigned kFlags = rapidjson::kParseFullPrecisionFlag;
  auto generate = [&](rapidjson::Document& doc) {
    SpanRecorder recorder(doc, stream, spans);
    return !reader.Parse<kFlags>(stream, recorder).IsError();
  };
  doc_.Populate(generate);
  if (reader.HasParseError()) {
    error_ = std::string(rapidjson::GetParseError_En(reader.GetParseErrorCode())) + " at offset " +
             std::to_string(reader.GetErrorOffset());
    doc_.SetNull();
    return;
  }
  std::size_t next = 0;
  index_objects(doc_, spans, next, text_, objects_);
}

std::string ParsedBody::raw(const rapidjson::Value& value) const {
  if (auto it = objects_.find(&value); it != objects_.end()) return std::string(it->second);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  value.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::justtcg
