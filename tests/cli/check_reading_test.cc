// jepsen-check end to end on how files are read and which model they get:
// Jepsen's JSON arrays judged like their EDN twins, file order as real-time
// order when there is no clock, a history with nothing in it never called
// valid, and each model name meaning one thing everywhere.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

#include "checker/linearizable/model.h"
#include "cli/check_command.h"
#include "history/event.h"

namespace jepsen::cli {
namespace {

using history::Json;

const std::string kShared = JEPSEN_SHARED_HISTORIES;

#define SKIP_WITHOUT_SHARED()                                    \
  if (!std::filesystem::is_directory(kShared)) {                 \
    GTEST_SKIP() << "public histories not found at " << kShared; \
  }

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct Outcome {
  int code;
  std::string out, err;
  Json json;
};

Outcome Check(CheckCommand command) {
  std::ostringstream out, err;
  command.json_out = "-";
  command.time_limit_seconds = command.time_limit_seconds > 0 ? command.time_limit_seconds : 60;
  int code = RunCheck(command, out, err);
  return {code, out.str(), err.str(), Json::parse(out.str(), nullptr, false)};
}

// The format a file was read as is what LoadHistory detected (or was told),
// reported as it is, not guessed again.
TEST(Formats, TheResultsNameTheFormatEachFileWasReadAs) {
  const std::string examples = JEPSEN_EXAMPLES;
  std::vector<std::pair<std::string, std::string>> files = {
      {examples + "/register-ok.jsonl", "jsonl"}, {examples + "/jepsen-cas-register.edn", "edn"}};
  if (std::filesystem::is_directory(kShared)) {
    files.push_back({kShared + "/porcupine/jepsen/etcd_000.log", "etcd-log"});
    files.push_back(
        {kShared + "/elle-cli/knossos/cas-register/good/memstress3-9.json", "json-array"});
  }
  for (const auto& [file, format] : files) {
    const std::string html = ::testing::TempDir() + "/" + std::to_string(::getpid()) + ".html";
    Outcome r = Check({.files = {file}, .model = "cas-register", .html_out = html});
    EXPECT_EQ(r.json["files"][0]["format"], format) << file << "\n" << r.err;
    std::ifstream in(html);
    const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(page.find("\"format\":\"" + format + "\""), std::string::npos) << file;
    std::remove(html.c_str());
  }
  // Told the format, it reads the file as that or fails naming the line.
  Outcome r = Check({.files = {examples + "/register-ok.jsonl"}, .format = "jsonl"});
  EXPECT_EQ(r.json["files"][0]["format"], "jsonl");
  r = Check({.files = {examples + "/jepsen-cas-register.edn"}, .format = "jsonl"});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find("jepsen-cas-register.edn:1"), std::string::npos) << r.err;
}

TEST(JsonArrayTwins, KnossosCasRegisterJsonIsJudgedLikeItsEdnTwin) {
  SKIP_WITHOUT_SHARED();
  // Knossos reads a nil read as "observed nothing"; the JSON array is the same Jepsen data.
  for (const char* file : {"/knossos/cas-register/good/memstress3-9.edn",
                           "/elle-cli/knossos/cas-register/good/memstress3-9.json"}) {
    Outcome r = Check({.files = {kShared + file},
                       .model = "cas-register",
                       .checker_options = {{"initial", "0"}}});
    EXPECT_EQ(r.code, 0) << file << "\n" << r.err;
    EXPECT_EQ(r.json["files"][0]["nil_read"], "any") << file;
  }
}

TEST(JsonArrayTwins, KnossosMutexJsonIsJudgedLikeItsEdnTwinAndQuickly) {
  SKIP_WITHOUT_SHARED();
  for (const char* file :
       {"/knossos/mutex/bad/etcd.edn", "/elle-cli/knossos/mutex/bad/etcd.json"}) {
    Outcome r = Check({.files = {kShared + file}, .model = "mutex", .time_limit_seconds = 30});
    EXPECT_EQ(r.code, 1) << file << "\n" << r.err;  // unknown (2) when the search got lost
    EXPECT_LT(r.json["files"][0]["elapsed_ms"].get<double>(), 10000) << file;
  }
}

TEST(JsonArrayTwins, OpsAreNamedByTheirElement) {
  SKIP_WITHOUT_SHARED();
  const std::string file = kShared + "/elle-cli/knossos/mutex/bad/etcd.json";
  Outcome r = Check({.files = {file}, .model = "mutex"});
  ASSERT_EQ(r.code, 1) << r.err;
  // The EDN twin's op maps are one per line, the JSON array's elements one
  // per element: the same numbers.
  EXPECT_NE(r.err.find(file + ": element 6: field 'time' goes backwards"), std::string::npos)
      << r.err;
  const std::string explanation = r.json["files"][0]["checks"][0]["explanation"];
  EXPECT_NE(explanation.find("process 0 acquire ok (element 1096 .. element 1120)"),
            std::string::npos)
      << explanation;
  EXPECT_EQ(explanation.find("line "), std::string::npos) << explanation;
}

TEST(FileOrder, OpsOnOneLineAreNotConcurrent) {
  // Without :time the file's order is the real-time order, also when every
  // op is on one line: the write completed before the read began, so
  // reading the old value is a stale read.
  const std::string path = WriteTemp(
      "one-line.edn",
      "[{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :ok :f :write :value 1} "
      "{:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 0}]\n");
  Outcome r =
      Check({.files = {path}, .model = "cas-register", .checker_options = {{"initial", "0"}}});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  std::remove(path.c_str());
}

TEST(NothingToCheck, EmptyInputIsUnknownNotValid) {
  for (const std::string& text : {std::string(""), std::string("\n \n")}) {
    const std::string path = WriteTemp("empty.jsonl", text);
    for (const std::string model : {"", "cas-register"}) {
      Outcome r = Check({.files = {path}, .model = model});
      EXPECT_EQ(r.code, 2) << r.out << r.err;
      EXPECT_EQ(r.json["files"][0]["verdict"], "unknown");
      EXPECT_NE(r.err.find("nothing to check"), std::string::npos) << r.err;
      EXPECT_EQ(r.json["files"][0]["warnings"].size(), 1u);
    }
    std::remove(path.c_str());
  }
}

TEST(NothingToCheck, AHistoryWithOnlyNemesisEventsIsUnknown) {
  const std::string path =
      WriteTemp("nemesis.jsonl", R"({"format":"jepsen-history/1","workload":"leases"})"
                                 "\n"
                                 R"({"type":"info","process":"nemesis","f":"kill","time":5})"
                                 "\n");
  Outcome r = Check({.files = {path}});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  const Json& check = r.json["files"][0]["checks"][0];
  EXPECT_EQ(check["checker"], "leases");
  EXPECT_EQ(check["verdict"], "unknown");
  EXPECT_NE(check["summary"].get<std::string>().find("no client operations"), std::string::npos);
  std::remove(path.c_str());
}

TEST(NothingToCheck, AJsonArrayThatIsEmptyIsUnknown) {
  const std::string path = WriteTemp("empty.json", "[]");
  Outcome r = Check({.files = {path}, .model = "register"});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  std::remove(path.c_str());
}

// Integers beyond 64 bits: compared exactly, shown with their digits.
TEST(BigIntegers, AreComparedExactlyAndShownWithTheirDigits) {
  const std::string a = "123456789012345678901234567890", b = "123456789012345678901234567891";
  auto op = [](const std::string& type, int process, const std::string& f,
               const std::string& value) {
    return R"({"type":")" + type + R"(","process":)" + std::to_string(process) + R"(,"f":")" + f +
           R"(","value":)" + value + "}\n";
  };
  // b was never written: reading it is a violation, which rounding through
  // a double (both are 1.2345678901234568e29) would have hidden.
  const std::string path =
      WriteTemp("big.jsonl", op("invoke", 0, "write", a) + op("ok", 0, "write", a) +
                                 op("invoke", 1, "read", "null") + op("ok", 1, "read", b));
  Outcome r = Check({.files = {path}, .model = "register"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("read -> " + b + " ok"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"state\": " + a), std::string::npos) << r.out;  // in --json too
  // The same value read back is fine, and --initial takes one as well.
  const std::string same =
      WriteTemp("big-ok.jsonl", op("invoke", 1, "read", "null") + op("ok", 1, "read", a));
  r = Check({.files = {same}, .model = "register", .checker_options = {{"initial", a}}});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  r = Check({.files = {same}, .model = "register", .checker_options = {{"initial", b}}});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  std::remove(path.c_str());
  std::remove(same.c_str());
}

// Control characters from a file (an ESC sequence can recolour or rewrite a
// terminal) are printed escaped, in errors, warnings and explanations alike.
TEST(ControlCharacters, NeverReachTheTerminalRaw) {
  const std::string esc = "\x1b[31m\x07\x7f\xc2\x9b";             // ESC, BEL, DEL, C1 CSI
  const std::string json_esc = "\\u001b[31m\\u0007\x7f\xc2\x9b";  // as JSON would carry them
  auto jsonl_op = [&](const std::string& type, const std::string& f, const std::string& key,
                      const std::string& value) {
    return R"({"type":")" + type + R"(","process":0,"f":")" + f + R"(","key":")" + key +
           R"(","value":")" + value + "\"}\n";
  };
  struct Case {
    std::string name, text, model;
  };
  const std::vector<Case> cases = {
      {"type.jsonl", jsonl_op("in" + json_esc, "read", "k", "v"), "register"},
      {"f-mismatch.jsonl",
       jsonl_op("invoke", "read", "k", "v") + jsonl_op("ok", "read" + json_esc, "k", "v"),
       "register"},
      {"key-mismatch.jsonl",
       jsonl_op("invoke", "read", "k", "v") + jsonl_op("ok", "read", "k" + json_esc, "v"),
       "register"},
      {"unknown-op.jsonl",
       jsonl_op("invoke", "frob" + json_esc, "k", "v") +
           jsonl_op("ok", "frob" + json_esc, "k", "v"),
       "register"},
      {"invalid.jsonl",  // a verdict with an explanation naming key and values
       jsonl_op("invoke", "write", "k" + json_esc, "a" + json_esc) +
           jsonl_op("ok", "write", "k" + json_esc, "a" + json_esc) +
           jsonl_op("invoke", "read", "k" + json_esc, "") +
           jsonl_op("ok", "read", "k" + json_esc, "b" + json_esc),
       "register"},
      {"workload.jsonl",
       R"({"format":"jepsen-history/1","workload":"x)" + json_esc + "\"}\n" +
           jsonl_op("invoke", "read", "k", "v"),
       ""},
      {"edn-keyword.edn", "{:type :invoke, :f :read" + esc + ", :process 0}\n", "register"},
      {"edn-symbol.edn",
       "{:type :invoke, :f :read, :process 0, :value x" + esc +
           "}\n"
           "{:type :ok, :f :read, :process 0, :value [\"" +
           esc + "\"] :x}\n",
       "register"},
      {"edn-field.edn", "{:type \"" + esc + "\", :f :read, :process 0}\n", "register"},
      {"log.log",
       "INFO  jepsen.util - 0\t:invoke\t:read" + esc +
           "\tnil\n"
           "INFO  jepsen.util - 0\t:" +
           esc + "\t:read\tnil\n",
       "register"},
      {"garbage.txt", "garbage" + esc + "\n", "register"},
  };
  for (const Case& c : cases) {
    const std::string path = WriteTemp(c.name, c.text);
    std::ostringstream out, err;
    CheckCommand command{.files = {path}, .model = c.model};
    const int code = RunCheck(command, out, err);
    for (const std::string& text : {out.str(), err.str()}) {
      for (size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        const bool c1 = byte == 0xC2 && i + 1 < text.size() &&
                        static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) < 0xA0;
        ASSERT_FALSE((byte < 0x20 && byte != '\n') || byte == 0x7f || c1)
            << c.name << " (exit " << code << ") printed a raw control byte "
            << static_cast<int>(byte) << ":\n"
            << text;
      }
    }
    EXPECT_NE(err.str() + out.str(), "") << c.name;
    std::remove(path.c_str());
  }
}

// Model names: kv is the format's register per key; Porcupine's strings are string-kv.

TEST(Models, AKvHeaderIsARegisterPerKeyWhoseNullReadIsTheUnsetValue) {
  const std::string path =
      WriteTemp("kv.jsonl", R"({"format":"jepsen-history/1","workload":"kv"})"
                            "\n"
                            R"({"type":"invoke","process":0,"f":"read","key":"a"})"
                            "\n"
                            R"({"type":"ok","process":0,"f":"read","key":"a","value":null})"
                            "\n"
                            R"({"type":"invoke","process":0,"f":"write","key":"a","value":"x"})"
                            "\n"
                            R"({"type":"ok","process":0,"f":"write","key":"a","value":"x"})"
                            "\n"
                            R"({"type":"invoke","process":1,"f":"read","key":"b"})"
                            "\n"
                            R"({"type":"ok","process":1,"f":"read","key":"b","value":null})"
                            "\n");
  Outcome r = Check({.files = {path}});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.json["files"][0]["checks"][0]["details"]["model"], "kv");
  r = Check({.files = {path}, .model = "kv"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  std::remove(path.c_str());
}

TEST(Models, PorcupineKvFilesGetStringKvByThemselves) {
  SKIP_WITHOUT_SHARED();
  for (auto [file, code] :
       {std::pair{"/porcupine/kv/c01-ok.txt", 0}, {"/porcupine/kv/c10-bad.txt", 1}}) {
    Outcome r = Check({.files = {kShared + file}});
    EXPECT_EQ(r.code, code) << file << "\n" << r.out << r.err;
    EXPECT_EQ(r.json["files"][0]["checks"][0]["details"]["model"], "string-kv") << file;
  }
}

TEST(Models, KvGivenForPorcupineOpsIsAnErrorNotAVerdict) {
  SKIP_WITHOUT_SHARED();
  Outcome r = Check({.files = {kShared + "/porcupine/kv/c01-ok.txt"}, .model = "kv"});
  EXPECT_EQ(r.code, 254) << r.out << r.err;
  EXPECT_NE(r.err.find("--model string-kv"), std::string::npos) << r.err;
  r = Check({.files = {kShared + "/porcupine/kv/c01-ok.txt"}, .model = "string-kv"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

// Whether `text` has `word` between a space and a space, comma or line end
// ("register" is not in "cas-register,").
bool ListsWord(const std::string& text, const std::string& word) {
  for (size_t at = text.find(" " + word); at != std::string::npos;
       at = text.find(" " + word, at + 1)) {
    const size_t end = at + 1 + word.size();
    if (end == text.size() || text[end] == ' ' || text[end] == ',' || text[end] == '\n') {
      return true;
    }
  }
  return false;
}

// Every place that lists the models lists the same ones.
TEST(Models, HelpAndDocsListEveryModel) {
  std::string help;
  {
    FILE* pipe = ::popen((std::string(JEPSEN_CHECK_BIN) + " --help").c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) help.append(buffer, n);
    ::pclose(pipe);
  }
  std::ifstream in(std::string(JEPSEN_EXAMPLES) + "/../../docs/linearizability.md");
  const std::string docs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(docs.empty());
  for (const std::string& name : checker::linearizable::ModelNames()) {
    EXPECT_TRUE(ListsWord(help, name)) << name << " missing from --help:\n" << help;
    EXPECT_NE(docs.find("| `" + name + "` |"), std::string::npos)
        << name << " missing from docs/linearizability.md";
  }
}

}  // namespace
}  // namespace jepsen::cli
