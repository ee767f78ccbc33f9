#pragma once
// Writes the Prometheus text exposition format (version 0.0.4): each family opens with its
// HELP and TYPE lines, then its samples, with label values and help text escaped as the
// format asks. The format needs a family's samples together: callers write one family at a
// time.

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardsync::admin {

class PrometheusText {
 public:
  using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

  // type: "counter", "gauge" or "histogram".
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, int64_t value);
  void sample(std::string_view name, const Labels& labels, double value);

  std::string str() const { return out_.str(); }

 private:
  void series(std::string_view name, const Labels& labels);

  std::ostringstream out_;
};

}  // namespace cardsync::admin
