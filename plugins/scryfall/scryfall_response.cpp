#include "scryfall_response.hpp"

#include <rapidjson/error/en.h>

namespace cardsync::scryfall {
namespace {

std::string text_member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

std::string what(const sdk::Request& request) {
  return request.method + " " + request.url;
}

[[noreturn]] void fail(const sdk::Request& request, int status, const std::string& code,
                       const std::string& details) {
  std::string m = "Scryfall answered " + what(request) + " with HTTP " + std::to_string(status);
  if (!code.empty()) m += " " + code;
  if (!details.empty()) m += ": " + details;
  if (status == 408 || status == 429 || (status >= 500 && status != 501)) throw sdk::Retry(m);
  if (status == 401 || status == 403) {
    throw sdk::Fatal(m +
                     " (Scryfall blocks clients without a descriptive User-Agent or that "
                     "exceed 10 requests a second: check providers.scryfall.user_agent)");
  }
  throw sdk::Permanent(m);
}

// Parses a successful answer into `doc`; false for a 404 (the caller decides what the
// missing resource means); throws for every other failure.
bool read_answer(const sdk::Request& request, const sdk::Response& response,
                 rapidjson::Document& doc) {
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(response.body.data(), response.body.size());
  const bool parsed = !doc.HasParseError() && doc.IsObject();
  const int status = response.status;
  const bool error_object = parsed && text_member(doc, "object") == "error";
  if (status < 200 || status > 299 || error_object) {
    int effective = status;
    if (error_object && status >= 200 && status <= 299) {
      auto it = doc.FindMember("status");
      effective = it != doc.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : 500;
    }
    const std::string code = parsed ? text_member(doc, "code") : "";
    if (effective == 404) return false;
    fail(request, effective, code, parsed ? text_member(doc, "details") : "");
  }
  if (!parsed) {
    std::string reason = doc.HasParseError()
                             ? std::string(rapidjson::GetParseError_En(doc.GetParseError())) +
                                   " at offset " + std::to_string(doc.GetErrorOffset())
                             : "not a JSON object";
    throw sdk::Retry("Scryfall sent a truncated or malformed body for " + what(request) +
                     " (HTTP " + std::to_string(status) + ", " +
                     std::to_string(response.body.size()) + " bytes: " + reason + ")");
  }
  return true;
}

}  // namespace

std::optional<ListPage> read_list(const sdk::Request& request, const sdk::Response& response) {
  ListPage page;
  if (!read_answer(request, response, page.doc)) return std::nullopt;
  auto data = page.doc.FindMember("data");
  if (data == page.doc.MemberEnd() || !data->value.IsArray()) {
    throw sdk::Retry("Scryfall answered " + what(request) + " without a \"data\" list");
  }
  auto more = page.doc.FindMember("has_more");
  page.has_more = more != page.doc.MemberEnd() && more->value.IsTrue();
  page.next_page = text_member(page.doc, "next_page");
  return page;
}

std::optional<rapidjson::Document> read_card(const sdk::Request& request,
                                             const sdk::Response& response) {
  rapidjson::Document doc;
  if (!read_answer(request, response, doc)) return std::nullopt;
  if (text_member(doc, "object") != "card") {
    throw sdk::Retry("Scryfall answered " + what(request) + " without a card object");
  }
  return doc;
}

}  // namespace cardsync::scryfall
