#include "admin/replies.hpp"

#include <boost/beast/http/field.hpp>

#include "admin/json_writer.hpp"

namespace cardsync::admin {

namespace http = boost::beast::http;

Reply make_reply(unsigned status, std::string body, std::string_view content_type) {
  Reply r;
  r.response.result(status);
  r.response.version(11);
  r.response.set(http::field::content_type, to_beast(content_type));
  r.response.body() = std::move(body);
  return r;
}

Reply json_reply(unsigned status, std::string body) {
  return make_reply(status, std::move(body), "application/json");
}

Reply csv_reply(std::string body, std::string_view filename) {
  Reply r = make_reply(200, std::move(body), "text/csv; charset=utf-8");
  r.response.set(http::field::content_disposition,
                 "attachment; filename=\"" + std::string(filename) + "\"");
  r.response.set(http::field::cache_control, "no-store");
  return r;
}

std::string error_body(std::string_view code, std::string_view message,
                       std::string_view request_id) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_key(w, "error");
  w.StartObject();
  write_key(w, "code");
  write_string(w, code);
  write_key(w, "message");
  write_string(w, message);
  write_key(w, "request_id");
  write_string(w, request_id);
  w.EndObject();
  w.EndObject();
  return json_text(buf);
}

Reply error_reply(const AdminCall& call, unsigned status, std::string_view code,
                  std::string_view message) {
  return json_reply(status, error_body(code, message, call.request_id));
}

}  // namespace cardsync::admin
