#pragma once
// Upstream answers recorded into files, turned into what the host hands a provider's handle().

#include <cardsync/sdk.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace cardsync::test {

// The bytes of `dir`/`name`; throws when the file is missing, so a misnamed fixture fails its
// test loudly instead of feeding the provider an empty body.
inline std::string read_fixture(const std::string& dir, const std::string& name) {
  std::ifstream in(dir + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + dir + "/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline sdk::Response response(int status, const std::string& body) {
  sdk::Response r;
  r.status = status;
  r.body = body;
  return r;
}

}  // namespace cardsync::test
