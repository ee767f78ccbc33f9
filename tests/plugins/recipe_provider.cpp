// A provider driven by a document of its own (ABI 1.3), like the REST provider's manifests
// but small enough to read in one go: the document lists streams, which become the
// instance's job types, and the options it reads from its config section. The host's tests
// of provider instances, document checks and `manifest check` use it.
#include <cardsync/sdk.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

namespace {

namespace sdk = cardsync::sdk;

std::string text_of(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

class RecipeProvider : public sdk::Provider {
 public:
  static constexpr const char* kName = "recipe";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription = "Streams named by a manifest (tests only)";
  static constexpr const char* kConfigSchema = R"({"type": "object"})";
  static constexpr const char* kService = "recipe";
  static constexpr const char* kJobTypes[] = {nullptr};
  static constexpr const char* kItemSchemas = "{}";
  static constexpr const char* kDocumentKey = "manifest";
  static constexpr const char* kDocumentSchema = R"({
    "type": "object",
    "properties": {
      "streams": {"type": "array", "minItems": 1,
                  "items": {"type": "string", "pattern": "^[a-z]+$"},
                  "description": "Job types, each <instance>.<stream>"},
      "follow": {"type": "object", "additionalProperties": {"type": "string"},
                 "description": "stream -> the stream each of its records enqueues"},
      "options": {"type": "object", "description": "JSON Schemas of the config keys it reads"},
      "style": {"enum": ["plain", "fancy"], "default": "plain"}
    },
    "required": ["streams"],
    "additionalProperties": false
  })";

  static std::string inspect_document(const rapidjson::Value& doc) {
    rapidjson::Document out;
    out.SetObject();
    auto& a = out.GetAllocator();
    rapidjson::Value problems(rapidjson::kArrayType);
    rapidjson::Value candidates(rapidjson::kArrayType);
    for (const auto& s : doc["streams"].GetArray()) candidates.PushBack(rapidjson::Value(s, a), a);
    if (doc.HasMember("follow")) {
      for (const auto& f : doc["follow"].GetObject()) {
        bool known = false;
        for (const auto& s : doc["streams"].GetArray()) known = known || s == f.value;
        if (known) continue;
        rapidjson::Value p(rapidjson::kObjectType);
        p.AddMember("pointer",
                    rapidjson::Value(("/follow/" + std::string(f.name.GetString())).c_str(), a), a);
        p.AddMember(
            "message",
            rapidjson::Value(
                ("no stream named \"" + std::string(f.value.GetString()) + "\"").c_str(), a),
            a);
        p.AddMember("found", rapidjson::Value(f.value, a), a);
        p.AddMember("candidates", rapidjson::Value(candidates, a), a);
        problems.PushBack(p, a);
      }
    }
    out.AddMember("problems", problems, a);
    rapidjson::Value schema(rapidjson::kObjectType);
    schema.AddMember("properties",
                     doc.HasMember("options") ? rapidjson::Value(doc["options"], a)
                                              : rapidjson::Value(rapidjson::kObjectType),
                     a);
    out.AddMember("config_schema", schema, a);
    return text_of(out);
  }

  explicit RecipeProvider(const rapidjson::Value& config) {
    const auto& doc = config["manifest"];
    for (const auto& s : doc["streams"].GetArray()) {
      streams_.emplace_back(s.GetString());
      types_.push_back("recipe." + streams_.back());
    }
    if (doc.HasMember("follow")) {
      for (const auto& f : doc["follow"].GetObject()) {
        follow_.emplace_back(f.name.GetString(), f.value.GetString());
      }
    }
    for (const auto& t : types_) type_ptrs_.push_back(t.c_str());
    type_ptrs_.push_back(nullptr);
  }

  void describe(cs_instance_description& out) const {
    out.job_types = type_ptrs_.data();
    out.item_schemas = "{}";
  }

  void plan(std::string_view /*spec*/, Emitter& out) override { out.job(types_.front(), "all"); }

  void start(const Job& job, Emitter& out) override {
    out.request({"GET",
                 "http://recipe.invalid/" + std::string(job.type) + "/" + std::string(job.key),
                 {},
                 {}});
  }

  void handle(const Job& job, const Request& /*req*/, const Response& res, Emitter& out) override {
    const std::string stream(job.type.substr(job.type.find('.') + 1));
    out.record(CS_RECORD_GAME, job.key, "", R"({"name":")" + std::string(job.key) + R"("})",
               res.body);
    for (const auto& [from, to] : follow_) {
      if (from == stream) out.job("recipe." + to, std::string(job.key) + "-next");
    }
  }

 private:
  std::vector<std::string> streams_;
  std::vector<std::string> types_;
  std::vector<const char*> type_ptrs_;
  std::vector<std::pair<std::string, std::string>> follow_;
};

}  // namespace

CARDSYNC_EXPORT_PLUGIN(RecipeProvider)
