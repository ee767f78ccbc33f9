#include "config/document_check.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <system_error>

#include "config/closest_match.hpp"
#include "config/compiled_schema.hpp"
#include "config/config_parser.hpp"
#include "config/line_index.hpp"
#include "config/schema_error.hpp"
#include "config/schema_source.hpp"

namespace cardsync::config {
namespace {

std::string text_of(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

std::string string_member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

// The plugin's problems, as diagnostics; a mistyped name gets the closest candidate.
void read_inspection(const rapidjson::Document& inspection, CheckedDocument& out) {
  if (auto it = inspection.FindMember("problems");
      it != inspection.MemberEnd() && it->value.IsArray()) {
    for (const auto& p : it->value.GetArray()) {
      std::string message = string_member(p, "message");
      const std::string found = string_member(p, "found");
      std::vector<std::string> candidates;
      if (auto c = p.FindMember("candidates"); c != p.MemberEnd() && c->value.IsArray()) {
        for (const auto& name : c->value.GetArray()) {
          if (name.IsString()) candidates.emplace_back(name.GetString(), name.GetStringLength());
        }
      }
      if (!found.empty()) {
        if (auto suggestion = closest_match(found, candidates)) {
          message += "; did you mean \"" + *suggestion + "\"?";
        }
      }
      out.problems.push_back(Diagnostic{out.file, string_member(p, "pointer"), message});
    }
  }
  if (auto it = inspection.FindMember("config_schema");
      it != inspection.MemberEnd() && it->value.IsObject()) {
    out.config_schema.CopyFrom(it->value, out.config_schema.GetAllocator());
  }
}

}  // namespace

CheckedDocument check_document_text(std::string_view text, std::string label, std::string_view what,
                                    std::string_view schema_json,
                                    const DocumentInspector& inspect) {
  CheckedDocument out;
  out.file = std::move(label);
  out.config_schema.SetObject();
  auto parsed = parse_text(text, out.file, EnvLookup{});
  if (auto* diags = std::get_if<std::vector<Diagnostic>>(&parsed)) {
    out.problems = std::move(*diags);
    out.doc.SetObject();
    return out;
  }
  auto& config = std::get<ParsedConfig>(parsed);
  out.doc.Swap(config.doc);
  out.problems = std::move(config.problems);

  std::unique_ptr<CompiledSchema> compiled;
  try {
    compiled = std::make_unique<CompiledSchema>(
        load_schema(schema_json, "schema of the " + std::string(what)),
        std::map<std::string, std::string>{});
  } catch (const SchemaError& e) {
    out.problems.push_back(Diagnostic{out.file, "", e.what()});  // the plugin's fault
    return out;
  }
  const CompiledSchema& schema = *compiled;
  auto violations = schema.validate(out.doc, out.file, {});
  out.problems.insert(out.problems.end(), std::make_move_iterator(violations.begin()),
                      std::make_move_iterator(violations.end()));
  if (out.problems.empty()) {
    schema.apply_defaults(out.doc);
    try {
      rapidjson::Document inspection;
      const std::string verdict = inspect(text_of(out.doc));
      inspection.Parse(verdict.data(), verdict.size());
      if (inspection.HasParseError() || !inspection.IsObject()) {
        out.problems.push_back(Diagnostic{
            out.file, "", "the plugin's check of this " + std::string(what) + " was not JSON"});
      } else {
        read_inspection(inspection, out);
      }
    } catch (const std::exception& e) {
      out.problems.push_back(Diagnostic{out.file, "", e.what()});
    }
  }
  const LineIndex lines(text);
  for (auto& d : out.problems) {
    if (d.line == 0 && (!d.path.empty() || d.message.rfind("invalid JSON", 0) != 0)) {
      d.line = lines.line_of(d.path);
    }
  }
  return out;
}

CheckedDocument check_document(const std::filesystem::path& path, std::string label,
                               std::string_view what, std::string_view schema_json,
                               const DocumentInspector& inspect) {
  std::error_code ec;
  std::string problem;
  if (std::filesystem::is_directory(path, ec)) {
    problem = "it is a directory, not a JSON file";
  } else {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      return check_document_text(text.str(), std::move(label), what, schema_json, inspect);
    }
    problem = std::generic_category().message(errno);
  }
  CheckedDocument out;
  out.file = std::move(label);
  out.doc.SetObject();
  out.config_schema.SetObject();
  out.problems.push_back(
      Diagnostic{out.file, "", "cannot read " + std::string(what) + " file: " + problem});
  return out;
}

}  // namespace cardsync::config
