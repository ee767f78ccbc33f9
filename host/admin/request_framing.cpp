#include "admin/request_framing.hpp"

#include <boost/beast/core/string.hpp>

#include <iterator>

namespace cardsync::admin {

bool ambiguous_framing(const HttpRequest& head) {
  namespace http = boost::beast::http;
  const auto codings = head.equal_range(http::field::transfer_encoding);
  if (codings.first == codings.second) return false;
  if (std::next(codings.first) != codings.second) return true;
  if (head.count(http::field::content_length) > 0) return true;
  return !boost::beast::iequals(boost::beast::string_view(codings.first->value()), "chunked");
}

}  // namespace cardsync::admin
