#pragma once
// cardsync SDK: a response body parsed into a DOM that still knows where each object came
// from, so a record's raw_json or a quarantined item keeps the upstream item exactly as
// received (same digits, same key order, same whitespace), never a re-serialisation of it:
//
//   const sdk::ParsedBody body(response.body);          // borrows response.body
//   if (!body.ok()) throw sdk::malformed_body(...);       // json_body.hpp
//   for (const auto& item : body.root()["data"].GetArray())
//     out.record(kind, key, parent, core, body.raw(item));
//
// Numbers are parsed at full precision, so prices read back as the digits that were sent.
// One ParsedBody belongs to one call; const methods are safe to share between threads.

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cardsync::sdk {

class ParsedBody {
 public:
  // Parses `text`, which must outlive this object. Never throws on bad JSON: see ok().
  explicit ParsedBody(std::string_view text) : text_(text) {
    std::vector<Span> spans;
    rapidjson::MemoryStream stream(text.data(), text.size());
    rapidjson::Reader reader;
    auto generate = [&](rapidjson::Document& doc) {
      SpanRecorder recorder(doc, stream, spans);
      return !reader.Parse<rapidjson::kParseFullPrecisionFlag>(stream, recorder).IsError();
    };
    doc_.Populate(generate);
    if (reader.HasParseError()) {
      error_ = std::string(rapidjson::GetParseError_En(reader.GetParseErrorCode())) +
               " at offset " + std::to_string(reader.GetErrorOffset());
      doc_.SetNull();
      return;
    }
    std::size_t next = 0;
    index_objects(doc_, spans, next);
  }
  ParsedBody(const ParsedBody&) = delete;
  ParsedBody& operator=(const ParsedBody&) = delete;
  ParsedBody(ParsedBody&&) = delete;
  ParsedBody& operator=(ParsedBody&&) = delete;
  ~ParsedBody() = default;

  bool ok() const { return error_.empty(); }
  // Why parsing failed ("Invalid value. at offset 17"); empty when ok().
  const std::string& error() const { return error_; }
  // The parsed document; null when !ok(). Borrowed: valid while this object lives.
  const rapidjson::Value& root() const { return doc_; }

  // The source text of `value`, which must belong to root(): the exact bytes for objects, a
  // compact re-serialisation for anything else (a bare string or number has no layout).
  std::string raw(const rapidjson::Value& value) const {
    if (auto it = objects_.find(&value); it != objects_.end()) return std::string(it->second);
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    value.Accept(w);
    return {buf.GetString(), buf.GetSize()};
  }

 private:
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
    bool Int64(std::int64_t i) { return doc_.Int64(i); }
    bool Uint64(std::uint64_t u) { return doc_.Uint64(u); }
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

  void index_objects(const rapidjson::Value& v, const std::vector<Span>& spans, std::size_t& next) {
    if (v.IsObject()) {
      if (next < spans.size()) {
        const Span& s = spans[next];
        objects_.emplace(&v, text_.substr(s.first, s.second - s.first));
      }
      ++next;
      for (const auto& m : v.GetObject()) index_objects(m.value, spans, next);
    } else if (v.IsArray()) {
      for (const auto& e : v.GetArray()) index_objects(e, spans, next);
    }
  }

  std::string_view text_;
  rapidjson::Document doc_;
  std::string error_;
  std::unordered_map<const rapidjson::Value*, std::string_view> objects_;
};

}  // namespace cardsync::sdk
