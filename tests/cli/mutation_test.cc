// Damaged input never crashes, hangs or passes silently: every example
// history, mutated thousands of ways (bytes flipped, lines dropped, doubled,
// swapped or cut), is checked end to end. Each outcome must be a verdict
// (0/1/2) or a clear input error (254) naming the file — never an internal
// error (255). Under the sanitizer build this also hunts memory errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/check_command.h"

namespace jepsen::cli {
namespace {

const std::string kExamples = JEPSEN_EXAMPLES;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// Bytes that matter to the parsers: structure, quotes, digits, keywords.
constexpr char kNasty[] = "{}[]():\",\\ \n\t0-9e.#nul:;'\x01\xff";

std::string Mutate(const std::string& text, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::string out = text;
  for (int edits = 1 + static_cast<int>(pick(3)); edits > 0 && !out.empty(); --edits) {
    switch (pick(7)) {
      case 0:  // overwrite a byte
        out[pick(out.size())] = kNasty[pick(sizeof kNasty - 1)];
        break;
      case 1:  // insert a byte
        out.insert(out.begin() + static_cast<long>(pick(out.size() + 1)),
                   kNasty[pick(sizeof kNasty - 1)]);
        break;
      case 2:  // delete a short run
        out.erase(pick(out.size()), 1 + pick(8));
        break;
      case 3:  // cut the file short
        out.resize(pick(out.size()));
        break;
      default: {  // whole lines: drop, double or swap
        std::vector<std::string> lines = Lines(out);
        if (lines.size() < 2) break;
        const size_t a = pick(lines.size()), b = pick(lines.size());
        const size_t how = pick(3);
        if (how == 0) lines.erase(lines.begin() + static_cast<long>(a));
        if (how == 1) lines.insert(lines.begin() + static_cast<long>(a), lines[b]);
        if (how == 2) std::swap(lines[a], lines[b]);
        out = Join(lines);
      }
    }
  }
  return out;
}

struct Source {
  std::string name;  // what the mutated copies are called: its extension guides nothing
  std::string text;
  CheckCommand command;
};

std::vector<Source> Sources() {
  std::vector<Source> sources;
  for (const char* name :
       {"register-ok.jsonl", "register-stale-read.jsonl", "leases-ok.jsonl", "leases-overlap.jsonl",
        "checkpoints-ok.jsonl", "checkpoints-lost-ack.jsonl"}) {
    sources.push_back({name, ReadFile(kExamples + "/" + name), {}});
  }
  sources.push_back({"knossos.edn",
                     "{:type :invoke, :f :write, :value 1, :process 0, :time 10}\n"
                     "{:type :ok, :f :write, :value 1, :process 0, :time 20}\n"
                     "{:type :invoke, :f :cas, :value [1 2], :process 1, :time 30}\n"
                     "{:type :invoke, :f :read, :value nil, :process 2, :time 40}\n"
                     "{:type :info, :f :start, :value nil, :process :nemesis, :time 45}\n"
                     "{:type :ok, :f :read, :value 2, :process 2, :time 50}\n"
                     "{:type :info, :f :cas, :value [1 2], :process 1, :time 60}\n"
                     "{:type :invoke, :f :read, :value nil, :process 3, :time 70}\n"
                     "{:type :ok, :f :read, :value #{1 2}, :process 3, :time 80}\n",
                     {.model = "cas-register", .initial = "0"}});
  sources.push_back({"etcd.log",
                     "INFO  jepsen.util - 3\t:invoke\t:write\t4\n"
                     "INFO  jepsen.util - 3\t:ok\t:write\t4\n"
                     "INFO  jepsen.util - 5\t:invoke\t:cas\t[4 1]\n"
                     "INFO  jepsen.util - 6\t:invoke\t:read\tnil\n"
                     "INFO  jepsen.util - 6\t:ok\t:read\t1\n"
                     "INFO  jepsen.util - 5\t:info\t:cas\t:timed-out\n"
                     "INFO  jepsen.util - 7\t:invoke\t:read\tnil\n"
                     "INFO  jepsen.util - 7\t:ok\t:read\t4\n",
                     {.model = "cas-register"}});
  return sources;
}

TEST(DamagedInput, IsAVerdictOrAClearErrorNeverACrash) {
  // JEPSEN_MUTATION_SEED and JEPSEN_MUTATIONS explore further by hand.
  const char* seed = std::getenv("JEPSEN_MUTATION_SEED");
  const char* count = std::getenv("JEPSEN_MUTATIONS");
  const int per_source = count != nullptr ? std::atoi(count) : 300;
  std::mt19937_64 rng(seed != nullptr ? std::strtoull(seed, nullptr, 10) : 20261123);
  int verdicts = 0, errors = 0;
  for (const Source& source : Sources()) {
    ASSERT_FALSE(source.text.empty()) << source.name;
    const std::string path =
        ::testing::TempDir() + "/" + std::to_string(::getpid()) + "-mutated-" + source.name;
    for (int i = 0; i < per_source; ++i) {
      const std::string text = Mutate(source.text, rng);
      std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
      CheckCommand command = source.command;
      command.files = {path};
      command.time_limit_seconds = 5;  // a budget ends any search: unknown, never a hang
      command.threads = 1;
      std::ostringstream out, err;
      int code = 255;  // an escaping exception is what main() reports as an internal error
      try {
        code = RunCheck(command, out, err);
      } catch (const std::exception& e) {
        err << "exception: " << e.what();
      }
      ASSERT_TRUE(code == 0 || code == 1 || code == 2 || code == 254)
          << "exit " << code << " on this mutation of " << source.name << ":\n"
          << text << "\n-- stdout:\n"
          << out.str() << "\n-- stderr:\n"
          << err.str();
      if (code == 254) {
        ++errors;
        // file:line, unless what is wrong belongs to the whole file (its header,
        // or no clock at all for the leases checker).
        const std::string message = err.str();
        const size_t at = message.find(path + ":");
        const bool names_line =
            at != std::string::npos && at + path.size() + 1 < message.size() &&
            std::isdigit(static_cast<unsigned char>(message[at + path.size() + 1]));
        const bool whole_file = message.find(path + ": ") != std::string::npos &&
                                (message.find("header") != std::string::npos ||
                                 message.find("needs clock times") != std::string::npos);
        ASSERT_TRUE(names_line || whole_file) << "the error must name the file and line:\n"
                                              << message << "\n-- input:\n"
                                              << text;
      } else {
        ++verdicts;
      }
    }
    std::remove(path.c_str());
  }
  // Both paths were exercised, so the assertions above meant something.
  EXPECT_GT(verdicts, 100);
  EXPECT_GT(errors, 100);
}

}  // namespace
}  // namespace jepsen::cli
