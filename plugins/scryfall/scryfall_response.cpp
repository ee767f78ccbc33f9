#include "scryfall_response.hpp"

#include <cardsync/error_body.hpp>
#include <cardsync/http_status.hpp>
#include <cardsync/json_body.hpp>
#include <cardsync/json_fields.hpp>

namespace cardsync::scryfall {
namespace {

const sdk::ErrorFields kErrorFields({"/code"}, {"/details"});

const sdk::StatusTable& status_table() {
  static const sdk::StatusTable table(
      "Scryfall", {{401, 403, "", sdk::Outcome::fatal,
                    "{upstream} refused {request} {detail} (Scryfall blocks clients without a "
                    "descriptive User-Agent or that exceed 10 requests a second: check "
                    "providers.scryfall.user_agent)"}});
  return table;
}

// False for a 404 (the caller decides what the missing resource means); throws for every
// other failure.
bool read_answer(const sdk::Request& request, const sdk::Response& response,
                 const sdk::ParsedBody& body, const std::string& base_url) {
  const rapidjson::Value& root = body.root();
  const bool error_object = sdk::text_member(root, "object") == "error";
  int status = response.status;
  if (error_object && status >= 200 && status <= 299) {
    const rapidjson::Value* s = sdk::member(root, "status");
    status = s != nullptr && s->IsInt() ? s->GetInt() : 500;
  }
  if (status == 404) return false;
  const std::string what = sdk::request_text(request, base_url);
  const sdk::UpstreamError error = kErrorFields.read(root);
  const sdk::StatusRule rule = status_table().match(status, error.code);
  if (rule.outcome != sdk::Outcome::ok || error_object) {
    sdk::fail(rule.outcome, status_table().message(rule, status, error, what));
  }
  if (!body.ok() || !root.IsObject()) {
    throw sdk::malformed_body("Scryfall", what, status, response.body.size(),
                              body.ok() ? "not a JSON object" : body.error());
  }
  return true;
}

}  // namespace

std::optional<ListPage> read_list(const sdk::Request& request, const sdk::Response& response,
                                  const sdk::ParsedBody& body, const std::string& base_url) {
  if (!read_answer(request, response, body, base_url)) return std::nullopt;
  ListPage page;
  page.data = sdk::member(body.root(), "data");
  if (page.data == nullptr || !page.data->IsArray()) {
    throw sdk::Retry("Scryfall answered " + sdk::request_text(request, base_url) +
                     " without a \"data\" list");
  }
  const rapidjson::Value* more = sdk::member(body.root(), "has_more");
  page.has_more = more != nullptr && more->IsTrue();
  page.next_page = sdk::text_member(body.root(), "next_page");
  return page;
}

const rapidjson::Value* read_card(const sdk::Request& request, const sdk::Response& response,
                                  const sdk::ParsedBody& body, const std::string& base_url) {
  if (!read_answer(request, response, body, base_url)) return nullptr;
  if (sdk::text_member(body.root(), "object") != "card") {
    throw sdk::Retry("Scryfall answered " + sdk::request_text(request, base_url) +
                     " without a card object");
  }
  return &body.root();
}

}  // namespace cardsync::scryfall
