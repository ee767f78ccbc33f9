#include "admin/prometheus_text.hpp"

namespace cardsync::admin {
namespace {

// Label values escape backslash, double quote and newline; help text only backslash and
// newline.
std::string escaped(std::string_view v, bool quote) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || (quote && c == '"')) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ << "# HELP " << name << ' ' << escaped(help, false) << "\n# TYPE " << name << ' ' << type
       << '\n';
}

void PrometheusText::sample(std::string_view name, const Labels& labels, int64_t value) {
  series(name, labels);
  out_ << ' ' << value << '\n';
}

void PrometheusText::sample(std::string_view name, const Labels& labels, double value) {
  series(name, labels);
  out_ << ' ' << value << '\n';
}

void PrometheusText::series(std::string_view name, const Labels& labels) {
  out_ << name;
  if (labels.empty()) return;
  out_ << '{';
  bool first = true;
  for (const auto& [label, value] : labels) {
    if (!first) out_ << ',';
    first = false;
    out_ << label << "=\"" << escaped(value, true) << '"';
  }
  out_ << '}';
}

}  // namespace cardsync::admin
