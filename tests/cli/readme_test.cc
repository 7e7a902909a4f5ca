// The README's jepsen-check examples parse, and name history files that
// exist: the bundled examples/histories/, or ../shared/histories where the
// corpora are present.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/check_options.h"

namespace jepsen::cli {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = JEPSEN_SOURCE_DIR;

// The `build/jepsen-check ...` lines of the README's "Using `jepsen-check`" section.
std::vector<std::string> Examples() {
  std::ifstream in(kSource / "README.md");
  std::vector<std::string> lines;
  bool section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("## ")) section = line == "## Using `jepsen-check`";
    if (section && line.starts_with("build/jepsen-check ")) lines.push_back(line);
  }
  return lines;
}

// What the shell makes of `word`: "dir/*.jsonl" becomes the files it matches.
std::vector<std::string> Expand(const std::string& word) {
  const size_t star = word.find('*');
  if (star == std::string::npos) return {word};
  const fs::path dir = fs::path(word).parent_path();
  const std::string suffix = word.substr(star + 1);
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(kSource / dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(suffix)) files.push_back((dir / name).string());
  }
  return files;
}

TEST(Readme, JepsenCheckExamplesParseAndNameFilesThatExist) {
  const std::vector<std::string> examples = Examples();
  ASSERT_GE(examples.size(), 5u);
  const bool shared = fs::exists(kSource / "../shared/histories");
  for (const std::string& example : examples) {
    std::istringstream words(example.substr(0, example.find('#')));
    std::vector<std::string> args;
    for (std::string word; words >> word;) {
      for (const std::string& arg : Expand(word)) args.push_back(arg);
    }
    args.erase(args.begin());  // build/jepsen-check
    CheckCommand command;
    std::ostringstream out, err;
    ASSERT_FALSE(ParseCheckArgs(args, command, out, err)) << example << "\n" << err.str();
    ASSERT_FALSE(command.files.empty()) << example;
    for (const std::string& file : command.files) {
      if (file.starts_with("../shared/") && !shared) continue;
      EXPECT_TRUE(fs::is_regular_file(kSource / file)) << file << " in: " << example;
    }
  }
}

}  // namespace
}  // namespace jepsen::cli
