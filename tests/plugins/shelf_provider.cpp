// A provider with two lookups and no upstream, for the host's lookup service tests: every
// job is answered from its key alone, in start, so a lookup completes without a request.
//
//   set  <letters>  lower-cased; "none" is not found; otherwise a set record and two card
//                   children, emitted "<set>/2" before "<set>/1" (answers list them in key
//                   order).
//   card <digits>   spaces dropped, leading zeros kept; "0" is not found.
#include <cardsync/sdk.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace {

namespace sdk = cardsync::sdk;

std::string without_spaces(std::string_view input) {
  std::string out;
  for (char c : input) {
    if (c != ' ') out += c;
  }
  return out;
}

bool all_of(const std::string& s, int (*pred)(int)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return pred(static_cast<unsigned char>(c)) != 0;
  });
}

class ShelfProvider : public sdk::Provider {
 public:
  static constexpr const char* kName = "shelf";
  static constexpr const char* kVersion = "0.0.1";
  static constexpr const char* kDescription =
      "Sets and cards answered from their keys (tests only)";
  static constexpr const char* kConfigSchema = R"({"type":"object"})";
  static constexpr const char* kService = "shelf";
  static constexpr const char* kJobTypes[] = {"shelf.set", "shelf.card", nullptr};
  static constexpr const char* kItemSchemas = "{}";
  static constexpr cs_lookup_kind kLookups[] = {
      sdk::lookup_kind({
          .record_kind = CS_RECORD_SET,
          .name = "set",
          .job_type = "shelf.set",
          .description = "a set with its cards",
          .key_example = "abc",
          .child_kind = CS_RECORD_CARD,
          .child_field = "cards",
          .ttl_seconds = 3600,
          .not_found_ttl_seconds = 60,
      }),
      sdk::lookup_kind({
          .record_kind = CS_RECORD_CARD,
          .name = "card",
          .job_type = "shelf.card",
          .description = "a card by its number",
          .key_example = "42",
      }),
  };

  explicit ShelfProvider(const rapidjson::Value& /*config*/) {}

  std::string normalise_key(std::string_view kind, std::string_view input) const {
    std::string key = without_spaces(input);
    if (kind == "set") {
      if (!all_of(key, &std::isalpha)) throw sdk::Permanent("a shelf set key is letters, like abc");
      std::transform(key.begin(), key.end(), key.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      return key;
    }
    if (!all_of(key, &std::isdigit)) throw sdk::Permanent("a shelf card key is digits, like 42");
    return key;
  }

  void start(const Job& job, Emitter& out) override {
    const std::string key(job.key);
    if (job.type == "shelf.set") {
      if (key == "none") {
        out.cursor(sdk::kLookupNotFound);
        return;
      }
      out.record(CS_RECORD_SET, key, "", R"({"name":")" + key + R"("})", "{}");
      for (const char* n : {"2", "1"}) {
        out.record(CS_RECORD_CARD, key + "/" + n, key, R"({"number":)" + std::string(n) + "}",
                   "{}");
      }
    } else {
      if (key == "0") {
        out.cursor(sdk::kLookupNotFound);
        return;
      }
      out.record(CS_RECORD_CARD, key, "", R"({"number":")" + key + R"("})", "{}");
    }
    out.cursor(sdk::kLookupFound);
  }

  void handle(const Job& /*job*/, const Request& /*request*/, const Response& /*response*/,
              Emitter& /*out*/) override {
    throw sdk::Permanent("the shelf provider sends no requests");
  }
};

}  // namespace

CARDSYNC_EXPORT_PLUGIN(ShelfProvider)
