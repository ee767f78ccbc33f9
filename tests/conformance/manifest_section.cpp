// The config section of a provider instance served by the rest plugin, as the host hands it
// to create(): the manifest file parsed as the config parser parses it (comments, trailing
// commas) under "manifest", beside the instance's options.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "provider_subject.hpp"

namespace cardsync::conformance {

std::string manifest_section(const std::string& manifest_file, const std::string& options) {
  std::ifstream in(std::string(CARDSYNC_MANIFESTS) + "/" + manifest_file);
  if (!in) throw std::runtime_error("missing manifest " + manifest_file);
  std::ostringstream text;
  text << in.rdbuf();
  rapidjson::Document manifest;
  manifest.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(
      text.str().c_str());
  if (manifest.HasParseError()) throw std::runtime_error(manifest_file + " is not valid JSON");
  rapidjson::Document config;
  config.Parse(options.c_str());
  if (config.HasParseError() || !config.IsObject()) throw std::runtime_error("bad options");
  config.AddMember("manifest", rapidjson::Value(manifest, config.GetAllocator()),
                   config.GetAllocator());
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  config.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::conformance
