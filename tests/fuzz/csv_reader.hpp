#pragma once
// A strict RFC 4180 reader, independent of the writer under test: the other half of the CSV
// round trip. Records end with CRLF; a quoted field may hold commas, quotes (doubled), CR and
// LF; anything else (a bare quote inside an unquoted field, text after a closing quote, a
// record not ended by CRLF) makes the whole input unreadable (nullopt).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::fuzz {

using CsvRecord = std::vector<std::string>;

inline std::optional<std::vector<CsvRecord>> read_csv(std::string_view text) {
  std::vector<CsvRecord> records;
  size_t i = 0;
  while (i < text.size()) {
    CsvRecord record;
    while (true) {
      std::string field;
      if (i < text.size() && text[i] == '"') {
        ++i;
        while (true) {
          if (i >= text.size()) return std::nullopt;
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field += text[i++];
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          if (text[i] == '"') return std::nullopt;
          field += text[i++];
        }
      }
      record.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (text.substr(i, 2) != "\r\n") return std::nullopt;
      i += 2;
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace cardsync::fuzz
