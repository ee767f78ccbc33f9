#pragma once
// What the HTTP server hands a request handler and gets back: a whole Beast request (the
// server already enforced the header and body limits) and either a whole response or a
// response head followed by a stream of chunks (server-sent events).

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cardsync::admin {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Boost 1.74's Beast has its own string_view; these cross between the two.
inline std::string_view to_std(boost::beast::string_view v) {
  return {v.data(), v.size()};
}
inline boost::beast::string_view to_beast(std::string_view v) {
  return {v.data(), v.size()};
}
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// A streamed body. The server calls poll() on one of its threads every poll interval until
// the client goes away or the server stops; poll() must not block.
class EventStream {
 public:
  virtual ~EventStream() = default;
  // Text to send now; empty: nothing this time.
  virtual std::string poll() = 0;
};

struct BlockingReply;

struct Reply {
  HttpResponse response;
  // When set, `response` is only the head (its body is ignored) and the body is streamed.
  std::shared_ptr<EventStream> stream;
  // When set, the reply is not ready yet: `response` is ignored and the server asks this.
  std::shared_ptr<BlockingReply> blocking;
};

// A reply that waits on something slow (a lookup of an item not in the cache waits on an
// upstream). The server runs `run` on its bounded pool for such work (blocking_pool.hpp),
// never on the threads that read and write connections, and sends what it returns; when that
// pool is full it sends what `refused` returns (called on the I/O thread; it must not block).
struct BlockingReply {
  std::function<Reply()> run;
  std::function<Reply()> refused;
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Runs on a server thread; thread-safe; never throws (failures become 500 replies).
  virtual Reply handle(const HttpRequest& request) noexcept = 0;
  // A request the server refused before it was whole (body or header too large, malformed):
  // `head` holds what was parsed. `status` is 400, 413 or 431.
  virtual HttpResponse refuse(const HttpRequest& head, unsigned status, std::string_view code,
                              std::string_view message) noexcept = 0;
};

}  // namespace cardsync::admin
