#pragma once
// How a stream pages and when it stops. Four styles, each with its state in the job cursor
// so a job restarted from its checkpoint continues at the page that was next:
//   page_number  {page.number} from `start` (1), +1 a page
//   offset       {page.offset} from `start` (0), + the items received, + size, or the body's
//                next offset; {page.limit} is the size
//   cursor       {page.token} from the body at `token` (absent on the first page)
//   next_url     the body's URL at `next_url`, or the Link header's rel="next"; confined to
//                base_url and kept relative to it
// Stop conditions (any ends the stream): an empty page, a has-more flag that is not true,
// pages covering a total count, and a missing next token, URL or offset.

#include <cardsync/sdk.hpp>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <cstdint>
#include <optional>
#include <string>

#include "template.hpp"

namespace cardsync::rest {

enum class PagingStyle { none, page_number, offset, cursor, next_url };

// Where the next request of a job starts; part of the job cursor.
struct PageState {
  std::optional<std::int64_t> number, offset;
  std::optional<std::string> token;
  std::optional<std::string> url;  // next_url: relative to base_url ("/cards?page=2")
  bool operator==(const PageState&) const = default;
};

// What a page said, for deciding the next one.
struct PageFacts {
  const rapidjson::Value* body = nullptr;
  const sdk::Response* response = nullptr;
  std::size_t items = 0;
};

class Paging {
 public:
  // `spec` may be null: no paging (every job is one request).
  static Paging parse(const rapidjson::Value* spec, const TemplateRules& rules, Problems& problems,
                      const std::string& pointer);

  PagingStyle style() const { return style_; }
  PageState first() const;
  // Puts the state's values into `scope` (page.number, page.offset, page.limit, page.token).
  void expose(const PageState& state, Scope& scope) const;
  // The state of the next page, or nullopt when the stream ends here. Throws sdk::Permanent
  // for a next URL outside `base_url`, sdk::Retry when the body contradicts itself.
  std::optional<PageState> next(const PageState& current, const PageFacts& page, Scope scope,
                                const std::string& base_url) const;

 private:
  std::optional<std::int64_t> size(const Scope& scope) const;

  PagingStyle style_ = PagingStyle::none;
  std::int64_t start_ = 1;
  Template size_;
  bool advance_by_items_ = true;
  std::optional<rapidjson::Pointer> next_offset_, token_, next_url_, has_more_, total_;
  bool stop_on_empty_ = false;
};

// The URL of the rel="next" link of a Link header, or empty.
std::string link_next(std::string_view header);

// An integer a body holds at a pointer (a number or numeric text).
std::optional<std::int64_t> integer_at(const rapidjson::Value& body,
                                       const rapidjson::Pointer& pointer);

}  // namespace cardsync::rest
