// A provider that follows whatever links it is given, with its API key on every request, the
// way a careless provider follows a `next_page` link from an upstream answer: the host's URL
// scope tests use it to make a provider ask for another origin.
//
// The job payload lists the links: {"start": [url, ...], "next": url}. `start` emits a GET
// for each `start` URL; each answer becomes a record, and the answer to the first `start` URL
// also emits a GET for `next` (standing for the link that answer carried).
#include <cardsync/sdk.hpp>

#include <string>
#include <vector>

namespace {

class LinkProvider : public cardsync::sdk::Provider {
 public:
  static constexpr const char* kName = "link";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Follows the links in its jobs (tests only)";
  static constexpr const char* kConfigSchema = R"({
    "type": "object",
    "properties": {
      "base_url": {"type": "string", "pattern": "^https?://", "description": "API root"},
      "api_key": {"type": "string", "description": "Sent as x-api-key"}
    },
    "additionalProperties": false
  })";
  static constexpr const char* kService = "link";
  static constexpr const char* kJobTypes[] = {"link.follow", nullptr};
  static constexpr const char* kItemSchemas = "{}";

  explicit LinkProvider(const rapidjson::Value& config) {
    if (config.HasMember("api_key")) api_key_ = config["api_key"].GetString();
  }

  void start(const Job& job, Emitter& out) override {
    for (const auto& url : links(job).start) out.request(get(url));
  }

  void handle(const Job& job, const Request& req, const Response& res, Emitter& out) override {
    out.record(CS_RECORD_GAME, req.url, "", R"({"name":"page"})", res.body);
    const Links l = links(job);
    if (!l.next.empty() && !l.start.empty() && req.url == l.start.front()) {
      out.request(get(l.next));
    }
  }

 private:
  struct Links {
    std::vector<std::string> start;
    std::string next;
  };

  static Links links(const Job& job) {
    rapidjson::Document doc;
    doc.Parse(job.payload.data(), job.payload.size());
    if (doc.HasParseError() || !doc.IsObject()) throw cardsync::sdk::Permanent("bad payload");
    Links l;
    if (auto it = doc.FindMember("start"); it != doc.MemberEnd() && it->value.IsArray()) {
      for (const auto& u : it->value.GetArray()) l.start.emplace_back(u.GetString());
    }
    if (auto it = doc.FindMember("next"); it != doc.MemberEnd() && it->value.IsString()) {
      l.next = it->value.GetString();
    }
    return l;
  }

  Request get(const std::string& url) const { return {"GET", url, {{"x-api-key", api_key_}}, {}}; }

  std::string api_key_;
};

}  // namespace

CARDSYNC_EXPORT_PLUGIN(LinkProvider)
