#pragma once
// The shapes of the admin server's answers: a body with its Content-Type, JSON, a CSV
// download, and the error object {"error": {"code", "message", "request_id"}}.

#include <string>
#include <string_view>

#include "admin/admin_call.hpp"
#include "admin/http_exchange.hpp"

namespace cardsync::admin {

Reply make_reply(unsigned status, std::string body, std::string_view content_type);
Reply json_reply(unsigned status, std::string body);
// A download: not cached anywhere, saved under `filename`.
Reply csv_reply(std::string body, std::string_view filename);

std::string error_body(std::string_view code, std::string_view message,
                       std::string_view request_id);
// The error object as JSON, carrying the call's request id.
Reply error_reply(const AdminCall& call, unsigned status, std::string_view code,
                  std::string_view message);

}  // namespace cardsync::admin
