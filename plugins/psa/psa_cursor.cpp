#include "psa_cursor.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cardsync::psa {

std::string PendingImages::to_json() const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("step");
  w.String("images");
  w.Key("cert");
  w.String(cert_body.data(), static_cast<rapidjson::SizeType>(cert_body.size()));
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::optional<PendingImages> PendingImages::parse(std::string_view cursor) {
  if (cursor.empty() || cursor.front() != '{') return std::nullopt;
  rapidjson::Document doc;
  doc.Parse(cursor.data(), cursor.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  auto step = doc.FindMember("step");
  auto cert = doc.FindMember("cert");
  if (step == doc.MemberEnd() || !step->value.IsString() ||
      std::string_view(step->value.GetString()) != "images" || cert == doc.MemberEnd() ||
      !cert->value.IsString()) {
    return std::nullopt;
  }
  return PendingImages{std::string(cert->value.GetString(), cert->value.GetStringLength())};
}

}  // namespace cardsync::psa
