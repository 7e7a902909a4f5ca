// Reading histories from anything that can be read once (pipes, FIFOs), with
// any line ending, and with a bound on how much one line, element or form
// may hold. Every reader and the format detection go through these paths.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "history/edn_reader.h"
#include "history/etcd_log.h"
#include "history/jsonl.h"
#include "history/load.h"

namespace jepsen::history {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/" + std::to_string(::getpid()) + "-" + name;
}

// Writes `text`, then `zeros` NUL bytes, into a pipe from another thread;
// the history is read from /dev/fd/N, which is no file that can be reopened
// at its start.
class Pipe {
 public:
  explicit Pipe(std::string text, size_t zeros = 0) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    read_fd_ = fds[0];
    std::signal(SIGPIPE, SIG_IGN);  // the reader may stop early (an error)
    writer_ = std::thread([fd = fds[1], text = std::move(text), zeros] {
      size_t done = 0;
      while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
      }
      const std::string block(1 << 16, '\0');
      for (size_t left = zeros; left > 0;) {
        ssize_t n = ::write(fd, block.data(), std::min(left, block.size()));
        if (n <= 0) break;
        left -= static_cast<size_t>(n);
      }
      ::close(fd);
    });
  }
  ~Pipe() {
    ::close(read_fd_);  // a writer still writing gets EPIPE and stops
    writer_.join();
  }
  std::string path() const { return "/dev/fd/" + std::to_string(read_fd_); }

 private:
  int read_fd_ = -1;
  std::thread writer_;
};

// A register history of `ops` ops in each format, one op per invoke/ok pair.
std::string Jsonl(int ops) {
  std::string text;
  for (int i = 0; i < ops; ++i) {
    const std::string v = std::to_string(i);
    text += R"({"type":"invoke","process":0,"f":"write","value":)" + v + "}\n";
    text += R"({"type":"ok","process":0,"f":"write","value":)" + v + "}\n";
  }
  return text;
}
std::string Edn(int ops) {
  std::string text = ";; a comment\n[";
  for (int i = 0; i < ops; ++i) {
    const std::string v = std::to_string(i);
    text += "{:type :invoke, :f :write, :value \"v\\u00e9" + v + "\", :process 0}\n";
    text += " {:type :ok,\n  :f :write, :value \"v\\u00e9" + v + "\", :process 0}\n";
  }
  return text + "]\n";
}
std::string JsonArray(int ops) {
  std::string text = "[";
  for (int i = 0; i < ops; ++i) {
    const std::string v = std::to_string(i);
    text += std::string(i == 0 ? "" : ",") +
            R"({"type":"invoke","process":0,"f":"write","value":")" + v +
            R"("},{"type":"ok","process":0,"f":"write","value":")" + v + "\"}";
  }
  return text + "]";
}
std::string EtcdLog(int ops, size_t preamble = 0) {
  std::string text;
  while (text.size() < preamble) text += "2017-01-01 INFO jepsen.core - setting up the cluster\n";
  for (int i = 0; i < ops; ++i) {
    const std::string v = std::to_string(i % 5);
    text += "INFO  jepsen.util - 0\t:invoke\t:write\t" + v + "\n";
    text += "INFO  jepsen.util - 0\t:ok\t:write\t" + v + "\n";
  }
  return text;
}

struct Flavour {
  const char* name;
  std::string (*make)(int);
  Format format;
};

class ReadOnce : public ::testing::TestWithParam<Flavour> {};

TEST_P(ReadOnce, APipeIsDetectedAndReadWhole) {
  // Big enough for many reads (a pipe hands over 64 KiB at a time), so units
  // straddle every read.
  const int ops = 20000;
  const std::string text = GetParam().make(ops);
  Pipe pipe(text);
  Result<History> h = LoadHistory(pipe.path());
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->format, GetParam().format);
  EXPECT_EQ(h->ops.size(), static_cast<size_t>(ops));
  EXPECT_TRUE(h->warnings.empty()) << h->warnings[0];
  // The same events as reading the text from memory.
  Result<History> memory = GetParam().format == Format::kEdn       ? ParseEdn(text, "m")
                           : GetParam().format == Format::kEtcdLog ? ParseEtcdLog(text, "m")
                                                                   : ParseJsonl(text, "m");
  ASSERT_TRUE(memory.ok()) << memory.message();
  ASSERT_EQ(memory->events.size(), h->events.size());
  for (size_t i = 0; i < h->events.size(); ++i) {
    ASSERT_EQ(ToJson(h->events[i]), ToJson(memory->events[i])) << i;
    ASSERT_EQ(h->events[i].line, memory->events[i].line) << i;
  }
}

TEST_P(ReadOnce, AFifoIsReadWhole) {
  const std::string path = TempPath(std::string("fifo-") + GetParam().name);
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const std::string text = GetParam().make(100);
  std::thread writer([&] { std::ofstream(path, std::ios::binary) << text; });
  Result<History> h = LoadHistory(path);
  writer.join();
  std::remove(path.c_str());
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->format, GetParam().format);
  EXPECT_EQ(h->ops.size(), 100u);
}

TEST_P(ReadOnce, ReadingStopsAtItsDeadline) {
  const std::string path = TempPath(std::string("deadline-") + GetParam().name);
  std::ofstream(path, std::ios::binary) << GetParam().make(100);
  const auto now = std::chrono::steady_clock::now();
  Result<History> late = LoadHistory(path, Format::kAuto, now);
  Result<History> in_time = LoadHistory(path, Format::kAuto, now + std::chrono::hours(1));
  std::remove(path.c_str());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.message().rfind(path + ": " + kTimeLimitWhileReading + " after 0 MiB", 0), 0u)
      << late.message();
  ASSERT_TRUE(in_time.ok()) << in_time.message();
  EXPECT_EQ(in_time->ops.size(), 100u);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, ReadOnce,
    ::testing::Values(Flavour{"jsonl", Jsonl, Format::kJsonl}, Flavour{"edn", Edn, Format::kEdn},
                      Flavour{"json-array", JsonArray, Format::kJsonArray},
                      Flavour{"etcd-log", [](int ops) { return EtcdLog(ops); }, Format::kEtcdLog}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (char& c : name) c = c == '-' ? '_' : c;
      return name;
    });

TEST(ReadOnce, ALongLogPreambleIsNoObstacleToDetection) {
  for (size_t preamble : {size_t{5000}, size_t{20000}, size_t{6} << 20}) {
    const std::string path = TempPath("preamble.log");
    std::ofstream(path, std::ios::binary) << EtcdLog(10, preamble);
    Result<History> h = LoadHistory(path);
    std::remove(path.c_str());
    ASSERT_TRUE(h.ok()) << preamble << ": " << h.message();
    EXPECT_EQ(h->format, Format::kEtcdLog);
    EXPECT_EQ(h->ops.size(), 10u);
  }
}

TEST(ReadOnce, TextThatIsNoHistoryIsAnErrorNamingItsFirstLine) {
  const std::string path = TempPath("garbage.txt");
  std::ofstream(path, std::ios::binary) << "\n\ngarbage \x1b[31m here\nmore\n";
  Result<History> h = LoadHistory(path);
  std::remove(path.c_str());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message().rfind(path + ":3: not a history", 0), 0u) << h.message();
  EXPECT_NE(h.message().find("found \"garbage \\u001b[31m here\""), std::string::npos)
      << h.message();
}

TEST(ReadOnce, AByteOrderMarkIsSkippedInEveryFormat) {
  for (const Flavour& f :
       {Flavour{"jsonl", Jsonl, Format::kJsonl}, Flavour{"edn", Edn, Format::kEdn},
        Flavour{"json-array", JsonArray, Format::kJsonArray},
        Flavour{"etcd-log", [](int ops) { return EtcdLog(ops); }, Format::kEtcdLog}}) {
    const std::string path = TempPath(std::string("bom-") + f.name);
    std::ofstream(path, std::ios::binary) << "\xEF\xBB\xBF" << f.make(3);
    Result<History> h = LoadHistory(path);
    std::remove(path.c_str());
    ASSERT_TRUE(h.ok()) << f.name << ": " << h.message();
    EXPECT_EQ(h->format, f.format);
    EXPECT_EQ(h->ops.size(), 3u) << f.name;
  }
}

// Line endings: LF, CRLF and CR alone give the same events with the same
// line numbers, in every line-aware reader.

std::string WithEndings(const std::string& text, const std::string& ending) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += ending;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

TEST(LineEndings, EveryReaderAcceptsLfCrlfAndCr) {
  const std::string jsonl = "\n" + Jsonl(3);
  const std::string edn = Edn(3);
  const std::string log = "noise\n" + EtcdLog(3);
  for (const std::string ending : {"\n", "\r\n", "\r"}) {
    SCOPED_TRACE(ending == "\r" ? "CR" : ending == "\n" ? "LF" : "CRLF");
    for (auto [text, parse] :
         {std::pair{jsonl, &ParseJsonl}, {edn, &ParseEdn}, {log, &ParseEtcdLog}}) {
      Result<History> h = parse(WithEndings(text, ending), "e");
      ASSERT_TRUE(h.ok()) << h.message();
      ASSERT_EQ(h->ops.size(), 3u);
      EXPECT_TRUE(h->warnings.empty()) << h->warnings[0];
      EXPECT_EQ(h->events[0].line, 2);                    // after a blank line, a comment or noise
      EXPECT_EQ(h->events[5].line, text == edn ? 9 : 7);  // EDN: the second map spans 2 lines
    }
  }
}

TEST(LineEndings, ErrorsNameTheRightLine) {
  const std::string bad_jsonl = Jsonl(1) + R"({"type":"ok","process":5,"f":"read"})" + "\n";
  const std::string bad_edn = "{:type :invoke, :f :read, :process 0}\n\n{:type :oops}\n";
  const std::string bad_log = "x\n\nINFO  jepsen.util - 0\t:ok\t:read\tnil\n";
  for (const std::string ending : {"\n", "\r\n", "\r"}) {
    Result<History> j = ParseJsonl(WithEndings(bad_jsonl, ending), "j");
    ASSERT_FALSE(j.ok());
    EXPECT_EQ(j.message().rfind("j:3: ", 0), 0u) << j.message();
    Result<History> e = ParseEdn(WithEndings(bad_edn, ending), "e");
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.message().rfind("e:3: ", 0), 0u) << e.message();
    Result<History> l = ParseEtcdLog(WithEndings(bad_log, ending), "l");
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.message().rfind("l:3: ", 0), 0u) << l.message();
  }
}

TEST(LineEndings, ACutShortFinalLineIsStillForgiven) {
  Result<History> h = ParseJsonl(WithEndings(Jsonl(1), "\r") + R"({"type":"inv)", "c");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_EQ(h->warnings[0].rfind("c:3: final line cut short", 0), 0u) << h->warnings[0];
}

// Endless input without structure is an error naming where the unit began,
// after at most kMaxUnitBytes (64 MiB), never unbounded memory.

TEST(UnitLimit, DevZeroIsAnErrorInEveryFormat) {
  struct Case {
    Format format;
    const char* message;
  };
  for (const Case& c : {Case{Format::kAuto, "/dev/zero:1: line longer than 64 MiB"},
                        Case{Format::kJsonl, "/dev/zero:1: line longer than 64 MiB"},
                        Case{Format::kEtcdLog, "/dev/zero:1: line longer than 64 MiB"},
                        Case{Format::kEdn, "/dev/zero:1: more than 64 MiB without a whole EDN"}}) {
    Result<History> h = LoadHistory("/dev/zero", c.format);
    ASSERT_FALSE(h.ok()) << ToString(c.format);
    EXPECT_EQ(h.message().rfind(c.message, 0), 0u) << h.message();
  }
}

TEST(UnitLimit, AnEndlessJsonArrayElementIsAnError) {
  Pipe pipe(R"([{"type":"invoke","process":0,"f":"read"}, {"type":"ok", "value":")",
            (size_t{64} << 20) + (size_t{8} << 20));
  Result<History> h = LoadHistory(pipe.path());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message().rfind(pipe.path() + ": element 2: element longer than 64 MiB", 0), 0u)
      << h.message();
}

TEST(UnitLimit, LinesJustUnderTheLimitStillRead) {
  // A 9 MiB value: longer than a read chunk, far under the limit.
  const std::string big(9 << 20, 'x');
  Pipe pipe(R"({"type":"invoke","process":0,"f":"write","value":")" + big + "\"}\r\n" +
            R"({"type":"ok","process":0,"f":"write"})" + "\r\n");
  Result<History> h = LoadHistory(pipe.path());
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events[0].value.get<std::string>().size(), big.size());
  EXPECT_EQ(h->events[1].line, 2);
}

// Nothing to check: a history without client ops says so.

TEST(NoClientOps, AnEmptyOrNemesisOnlyHistoryIsReadWithAWarning) {
  for (const std::string& text :
       {std::string(""), std::string("\n\n"),
        std::string(R"({"format":"jepsen-history/1","workload":"register"})") + "\n" +
            R"({"type":"info","process":"nemesis","f":"kill"})" + "\n"}) {
    Result<History> h = ParseJsonl(text, "n.jsonl");
    ASSERT_TRUE(h.ok()) << h.message();
    EXPECT_TRUE(h->ops.empty());
    ASSERT_EQ(h->warnings.size(), 1u);
    EXPECT_EQ(h->warnings[0].rfind("n.jsonl: no client operations", 0), 0u) << h->warnings[0];
  }
}

}  // namespace
}  // namespace jepsen::history
