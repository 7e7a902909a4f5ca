// Damaged input never crashes, hangs or passes silently: every example
// history, mutated thousands of ways (bytes flipped, lines dropped, doubled,
// swapped or cut; numbers made extreme, near +-2^63 or beyond 64 bits; line
// ends made CR or CRLF; control characters and escape sequences planted), is
// checked end to end. Each outcome must be a verdict (0/1/2) or a clear input
// error (254) naming the file and line or element — never an internal error
// (255) — and nothing from the file may reach the output as a raw control
// character. Every fourth input is also fed through a pipe (/dev/fd/N, read
// once, no seeking), which must give the same outcome as the file. Under the
// sanitizer build (scripts/fuzz.sh) this also hunts memory errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
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
constexpr char kNasty[] = "{}[]():\",\\ \n\r\t0-9e.#nul:;'\x01\x1b\x7f\xff";

// Numbers that break arithmetic done carelessly: the ends of int64 (times,
// TTLs, tokens, indices), uint64, and integers beyond 64 bits.
const char* const kExtremes[] = {"9223372036854775807",
                                 "-9223372036854775808",
                                 "9223372036854775806",
                                 "-9223372036854775807",
                                 "4611686018427387904",
                                 "18446744073709551615",
                                 "18446744073709551616",
                                 "123456789012345678901234567890",
                                 "-99999999999999999999999999999999999999",
                                 "1e400"};

// What may be planted in text: escape sequences, raw or JSON-escaped.
const char* const kControls[] = {
    "\x1b[31m", "\x1b]0;owned\x07", "\\u001b[2J", "\\u0007", "\xc2\x9b", "\r", "\x00"};

// A number in `text`, replaced by an extreme one.
std::string MakeANumberExtreme(const std::string& text, std::mt19937_64& rng) {
  static const std::regex kNumber("-?[0-9]+");
  std::vector<std::pair<size_t, size_t>> numbers;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kNumber);
       it != std::sregex_iterator(); ++it) {
    numbers.emplace_back(static_cast<size_t>(it->position()), static_cast<size_t>(it->length()));
  }
  if (numbers.empty()) return text;
  const auto [at, length] = numbers[rng() % numbers.size()];
  std::string out = text;
  out.replace(at, length, kExtremes[rng() % std::size(kExtremes)]);
  return out;
}

// Every line end (or one) made CR or CRLF.
std::string ChangeLineEnds(const std::string& text, std::mt19937_64& rng) {
  const std::string end = rng() % 2 ? "\r" : "\r\n";
  std::string out;
  const bool all = rng() % 2;
  bool done = false;
  for (char c : text) {
    if (c == '\n' && (all || (!done && rng() % 8 == 0))) {
      out += end;
      done = true;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// A control sequence planted just inside a string, or anywhere.
std::string PlantControl(const std::string& text, std::mt19937_64& rng) {
  std::string out = text;
  size_t at = rng() % (out.size() + 1);
  const size_t quote = out.find('"', at);
  if (rng() % 4 != 0 && quote != std::string::npos) at = quote + 1;
  out.insert(at, kControls[rng() % std::size(kControls)]);
  return out;
}

std::string Mutate(const std::string& text, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::string out = text;
  for (int edits = 1 + static_cast<int>(pick(3)); edits > 0 && !out.empty(); --edits) {
    switch (pick(10)) {
      case 7:
        out = MakeANumberExtreme(out, rng);
        break;
      case 8:
        out = ChangeLineEnds(out, rng);
        break;
      case 9:
        out = PlantControl(out, rng);
        break;
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
      default: {  // (4-6) whole lines: drop, double or swap
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
                     {.model = "cas-register", .checker_options = {{"initial", "0"}}}});
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

struct Outcome {
  std::string file;  // what was checked
  int code = 255;
  std::string out, err;
};

Outcome RunOn(CheckCommand command, const std::string& file) {
  command.files = {file};
  command.time_limit_seconds = 5;  // a budget ends any search: unknown, never a hang
  command.threads = 1;
  std::ostringstream out, err;
  Outcome o{file};
  try {
    o.code = RunCheck(command, out, err);
  } catch (const std::exception& e) {  // what main() reports as an internal error (255)
    err << "exception: " << e.what();
  }
  o.out = out.str();
  o.err = err.str();
  return o;
}

// The same input through a pipe, read once from /dev/fd/N as from stdin.
Outcome RunThroughAPipe(const CheckCommand& command, const std::string& text) {
  int fds[2];
  if (::pipe(fds) != 0) return {"pipe", 255, "", "pipe failed"};
  std::thread writer([fd = fds[1], &text] {
    for (size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n <= 0) break;  // the reader stopped at an error
      done += static_cast<size_t>(n);
    }
    ::close(fd);
  });
  Outcome o = RunOn(command, "/dev/fd/" + std::to_string(fds[0]));
  ::close(fds[0]);
  writer.join();
  return o;
}

// What must hold of any outcome: a verdict or an error naming where, and no
// raw control character from the file in what was printed.
void Expect(const Outcome& o, const std::string& name, const std::string& text) {
  const std::string& path = o.file;
  ASSERT_TRUE(o.code == 0 || o.code == 1 || o.code == 2 || o.code == 254)
      << "exit " << o.code << " on this mutation of " << name << ":\n"
      << text << "\n-- stdout:\n"
      << o.out << "\n-- stderr:\n"
      << o.err;
  for (const std::string* printed : {&o.out, &o.err}) {
    for (size_t i = 0; i < printed->size(); ++i) {
      const auto byte = static_cast<unsigned char>((*printed)[i]);
      const auto next = i + 1 < printed->size() ? static_cast<unsigned char>((*printed)[i + 1]) : 0;
      const bool c1 = byte == 0xC2 && next >= 0x80 && next < 0xA0;
      ASSERT_FALSE((byte < 0x20 && byte != '\n') || byte == 0x7f || c1)
          << "a raw control byte " << static_cast<int>(byte) << " printed for this mutation of "
          << name << ":\n"
          << text << "\n-- printed:\n"
          << *printed;
    }
  }
  if (o.code != 254) return;
  // file:line or file: element N, unless what is wrong belongs to the whole
  // file (its header, or no clock at all for the leases checker).
  const std::string& message = o.err;
  auto names = [&](const std::string& prefix) {
    const size_t at = message.find(prefix);
    return at != std::string::npos && at + prefix.size() < message.size() &&
           std::isdigit(static_cast<unsigned char>(message[at + prefix.size()]));
  };
  const bool whole_file = message.find(path + ": ") != std::string::npos &&
                          (message.find("header") != std::string::npos ||
                           message.find("needs clock times") != std::string::npos);
  ASSERT_TRUE(names(path + ":") || names(path + ": element ") || whole_file)
      << "the error must name the file and line:\n"
      << message << "\n-- input:\n"
      << text;
}

TEST(DamagedInput, IsAVerdictOrAClearErrorNeverACrash) {
  // JEPSEN_MUTATIONS inputs in all (spread over the sources; default 2400),
  // from JEPSEN_MUTATION_SEED: scripts/fuzz.sh runs 20,000 and more this way.
  const char* seed = std::getenv("JEPSEN_MUTATION_SEED");
  const char* count = std::getenv("JEPSEN_MUTATIONS");
  const std::vector<Source> sources = Sources();
  const long total = count != nullptr ? std::atol(count) : 2400;
  const long per_source =
      (total + static_cast<long>(sources.size()) - 1) / static_cast<long>(sources.size());
  std::mt19937_64 rng(seed != nullptr ? std::strtoull(seed, nullptr, 10) : 20261123);
  std::signal(SIGPIPE, SIG_IGN);  // a reader that stops early must not kill the test
  int verdicts = 0, errors = 0, piped = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const Source& source : sources) {
    ASSERT_FALSE(source.text.empty()) << source.name;
    const std::string path =
        ::testing::TempDir() + "/" + std::to_string(::getpid()) + "-mutated-" + source.name;
    for (long i = 0; i < per_source; ++i) {
      const std::string text = Mutate(source.text, rng);
      std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
      const Outcome file = RunOn(source.command, path);
      Expect(file, source.name, text);
      if (HasFatalFailure()) return;
      ++(file.code == 254 ? errors : verdicts);
      if (i % 4 != 0) continue;
      const Outcome pipe = RunThroughAPipe(source.command, text);
      Expect(pipe, source.name, text);
      if (HasFatalFailure()) return;
      ++piped;
      // Read once from a pipe or from the file: the same answer (a budget
      // running out is the one thing timing may change).
      if (file.code != 2 && pipe.code != 2) {
        ASSERT_EQ(file.code, pipe.code)
            << "file and pipe disagree on this mutation of " << source.name << ":\n"
            << text << "\n-- file:\n"
            << file.out << file.err << "\n-- pipe:\n"
            << pipe.out << pipe.err;
      }
    }
    std::remove(path.c_str());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("damaged inputs: %d (%d verdicts, %d input errors), %d also through a pipe, %.1f s\n",
              verdicts + errors, verdicts, errors, piped, seconds);
  // Both paths were exercised, so the assertions above meant something.
  EXPECT_GT(verdicts, total / 20);
  EXPECT_GT(errors, total / 20);
}

}  // namespace
}  // namespace jepsen::cli
