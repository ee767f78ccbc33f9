// The regression side of a fuzz target (tests/fuzz/CMakeLists.txt): every file under the
// directories or files given goes through LLVMFuzzerTestOneInput once, in name order, so a
// failing input is named before it runs. A target signals a broken property by aborting.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) inputs.push_back(entry.path());
      }
    } else if (std::filesystem::is_regular_file(arg)) {
      inputs.push_back(arg);
    } else {
      std::cerr << "corpus_replay: " << arg << ": no such file or directory\n";
      return 2;
    }
  }
  if (inputs.empty()) {
    std::cerr << "corpus_replay: no inputs (usage: " << argv[0] << " DIR_OR_FILE...)\n";
    return 2;
  }
  std::sort(inputs.begin(), inputs.end());
  for (const auto& path : inputs) {
    std::cerr << "corpus_replay: " << path.string() << '\n';
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << "corpus_replay: " << inputs.size() << " inputs ran\n";
  return 0;
}
