#pragma once
// Manifests for the rest plugin's tests: JSON with comments parsed as the host parses it, and
// the config section the host hands create() (the manifest object under "manifest", plus
// options).

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "support/recorded_response.hpp"

namespace cardsync::rest::test {

inline rapidjson::Document parse_jsonc(const std::string& text) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << "offset " << d.GetErrorOffset() << " in " << text;
  return d;
}

// A manifest of manifests/ (the shipped ones).
inline std::string shipped_manifest(const std::string& name) {
  return cardsync::test::read_fixture(CARDSYNC_MANIFESTS, name);
}

// The config section: `options` (a JSON object) with "manifest" set to the parsed manifest.
inline std::string section(const std::string& manifest_text, const std::string& options = "{}") {
  rapidjson::Document config = parse_jsonc(options);
  rapidjson::Document manifest = parse_jsonc(manifest_text);
  config.AddMember("manifest", rapidjson::Value(manifest, config.GetAllocator()),
                   config.GetAllocator());
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  config.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::rest::test
