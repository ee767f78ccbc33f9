#include "paging.hpp"

#include <cardsync/decimal.hpp>

#include <cctype>

#include "value_spec.hpp"

namespace cardsync::rest {
namespace {

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::optional<rapidjson::Pointer> pointer_member(const rapidjson::Value& obj, const char* name,
                                                 Problems& problems, const std::string& at) {
  const rapidjson::Value* v = member(obj, name);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  if (!check_pointer({v->GetString(), v->GetStringLength()}, problems, at + "/" + name)) {
    return std::nullopt;
  }
  return rapidjson::Pointer(v->GetString(), v->GetStringLength());
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<std::int64_t> integer_at(const rapidjson::Value& body,
                                       const rapidjson::Pointer& pointer) {
  const rapidjson::Value* v = pointer.Get(body);
  if (v == nullptr) return std::nullopt;
  return sdk::scale_json_number(*v, 0, sdk::Rounding::toward_zero);
}

std::string link_next(std::string_view header) {
  // <url>; rel="next", <url>; rel="last"
  std::size_t at = 0;
  while (at < header.size()) {
    const auto open = header.find('<', at);
    if (open == std::string_view::npos) return {};
    const auto close = header.find('>', open);
    if (close == std::string_view::npos) return {};
    auto end = header.find('<', close);
    const std::string params = lower(header.substr(
        close + 1, end == std::string_view::npos ? std::string_view::npos : end - close - 1));
    if (params.find("rel=\"next\"") != std::string::npos ||
        params.find("rel=next") != std::string::npos) {
      return std::string(header.substr(open + 1, close - open - 1));
    }
    at = end == std::string_view::npos ? header.size() : end;
  }
  return {};
}

Paging Paging::parse(const rapidjson::Value* spec, const TemplateRules& rules, Problems& problems,
                     const std::string& pointer) {
  Paging out;
  if (spec == nullptr || !spec->IsObject()) return out;
  const rapidjson::Value* style = member(*spec, "style");
  const std::string name = style != nullptr && style->IsString() ? style->GetString() : "";
  if (name == "page_number") out.style_ = PagingStyle::page_number;
  if (name == "offset") out.style_ = PagingStyle::offset;
  if (name == "cursor") out.style_ = PagingStyle::cursor;
  if (name == "next_url") out.style_ = PagingStyle::next_url;
  out.start_ = out.style_ == PagingStyle::page_number ? 1 : 0;
  if (const auto* v = member(*spec, "start"); v != nullptr && v->IsInt64()) {
    out.start_ = v->GetInt64();
  }
  if (const auto* v = member(*spec, "size"); v != nullptr && v->IsString()) {
    out.size_ =
        Template({v->GetString(), v->GetStringLength()}, rules, problems, pointer + "/size");
  }
  if (const auto* v = member(*spec, "advance"); v != nullptr && v->IsString()) {
    out.advance_by_items_ = std::string_view(v->GetString()) != "size";
  }
  out.next_offset_ = pointer_member(*spec, "next_offset", problems, pointer);
  out.token_ = pointer_member(*spec, "token", problems, pointer);
  out.next_url_ = pointer_member(*spec, "next_url", problems, pointer);
  if (const auto* stop = member(*spec, "stop"); stop != nullptr && stop->IsObject()) {
    out.has_more_ = pointer_member(*stop, "has_more", problems, pointer + "/stop");
    out.total_ = pointer_member(*stop, "total", problems, pointer + "/stop");
    if (const auto* v = member(*stop, "empty_page"); v != nullptr) out.stop_on_empty_ = v->IsTrue();
  }
  if (out.style_ == PagingStyle::cursor && !out.token_) {
    problems.add(pointer + "/token", "cursor paging needs `token`, the pointer to the next token");
  }
  if (out.style_ == PagingStyle::offset && out.size_.empty()) {
    problems.add(pointer + "/size", "offset paging needs `size`, the page size template");
  }
  if (out.total_ && out.size_.empty() && out.style_ == PagingStyle::page_number) {
    problems.add(pointer + "/stop/total", "the total stop needs `size` to know what pages cover");
  }
  if (out.style_ != PagingStyle::offset && out.next_offset_) {
    problems.add(pointer + "/next_offset", "next_offset is for offset paging");
  }
  if (out.style_ != PagingStyle::cursor && out.token_) {
    problems.add(pointer + "/token", "token is for cursor paging");
  }
  if (out.style_ != PagingStyle::next_url && out.next_url_) {
    problems.add(pointer + "/next_url", "next_url is for next_url paging");
  }
  return out;
}

PageState Paging::first() const {
  PageState s;
  if (style_ == PagingStyle::page_number) s.number = start_;
  if (style_ == PagingStyle::offset) s.offset = start_;
  return s;
}

std::optional<std::int64_t> Paging::size(const Scope& scope) const {
  if (size_.empty()) return std::nullopt;
  const std::string text = size_.text(scope);
  auto n = sdk::scale_decimal(text, 0, sdk::Rounding::toward_zero);
  if (!n || *n <= 0) return std::nullopt;
  return n;
}

void Paging::expose(const PageState& state, Scope& scope) const {
  scope.page_number = state.number;
  scope.page_offset = state.offset;
  scope.page_token = state.token;
  scope.page_limit = size(scope);
}

std::optional<PageState> Paging::next(const PageState& current, const PageFacts& page, Scope scope,
                                      const std::string& base_url) const {
  if (style_ == PagingStyle::none) return std::nullopt;
  if (stop_on_empty_ && page.items == 0) return std::nullopt;
  const rapidjson::Value& body = *page.body;
  if (has_more_) {
    const rapidjson::Value* flag = has_more_->Get(body);
    if (flag == nullptr || !flag->IsTrue()) return std::nullopt;
  }
  expose(current, scope);
  // -1: no total stop.
  std::int64_t total = -1;
  if (total_) {
    const auto n = integer_at(body, *total_);
    if (!n) throw sdk::Retry("the page has no total count where paging.stop.total points");
    total = *n;
  }
  PageState next;
  switch (style_) {
    case PagingStyle::none:
      return std::nullopt;
    case PagingStyle::page_number: {
      const std::int64_t number = current.number.value_or(start_);
      if (total >= 0) {
        const auto per_page = size(scope);
        if (per_page && (number - start_ + 1) * *per_page >= total) return std::nullopt;
      }
      next.number = number + 1;
      return next;
    }
    case PagingStyle::offset: {
      const std::int64_t offset = current.offset.value_or(start_);
      if (next_offset_) {
        const auto n = integer_at(body, *next_offset_);
        if (!n) return std::nullopt;
        if (*n <= offset) throw sdk::Retry("the next offset does not move forward");
        next.offset = *n;
      } else {
        const auto per_page = size(scope);
        const auto step =
            advance_by_items_ ? static_cast<std::int64_t>(page.items) : per_page.value_or(0);
        if (step <= 0) return std::nullopt;
        next.offset = offset + step;
      }
      if (total >= 0 && *next.offset >= total) return std::nullopt;
      return next;
    }
    case PagingStyle::cursor: {
      const rapidjson::Value* token = token_->Get(body);
      auto text = token != nullptr ? scalar_text(*token) : std::nullopt;
      if (!text || text->empty()) return std::nullopt;
      if (current.token && *current.token == *text) {
        throw sdk::Retry("the upstream sent the same page token again");
      }
      next.token = std::move(*text);
      return next;
    }
    case PagingStyle::next_url: {
      std::string url;
      if (next_url_) {
        const rapidjson::Value* v = next_url_->Get(body);
        if (v != nullptr && v->IsString()) url.assign(v->GetString(), v->GetStringLength());
      } else if (page.response != nullptr) {
        url = link_next(page.response->header("Link"));
      }
      if (url.empty()) return std::nullopt;
      if (url.size() <= base_url.size() || url.compare(0, base_url.size(), base_url) != 0 ||
          (url[base_url.size()] != '/' && url[base_url.size()] != '?')) {
        throw sdk::Permanent("the next page " + url + " is not under base_url " + base_url +
                             "; refusing to follow it");
      }
      next.url = url.substr(base_url.size());
      return next;
    }
  }
  return std::nullopt;
}

}  // namespace cardsync::rest
