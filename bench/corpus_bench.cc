// (a) of the benchmark issue: every file of the Porcupine and Knossos corpora
// loaded and checked in one process, as Porcupine's own Go driver does over
// its corpus. Each file gets the model and initial value its MANIFEST.tsv
// names (one jepsen-check invocation cannot vary them per file), and each
// verdict is compared with the manifest's.
//
// Usage: corpus_bench [--shared DIR] [--corpus porcupine|knossos]
//                     [--threads N] [--time-limit S]
// Exit: 0 when every verdict matches, 1 otherwise.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "checker/linearizable/linearizable.h"
#include "history/load.h"
#include "tests/support/manifest.h"

namespace jepsen {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

struct FileTime {
  std::string name;
  double seconds = 0;
};

struct Flags {
  std::string shared = JEPSEN_SHARED_HISTORIES;
  std::vector<std::string> corpora = {"porcupine", "knossos"};
  unsigned threads = 0;
  double time_limit = 120;
};

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    if (arg == "--shared") {
      flags.shared = value;
    } else if (arg == "--corpus") {
      flags.corpora = {value};
    } else if (arg == "--threads") {
      flags.threads = static_cast<unsigned>(std::atoi(value.c_str()));
    } else if (arg == "--time-limit") {
      flags.time_limit = std::atof(value.c_str());
    } else {
      return false;
    }
  }
  return true;
}

// Checks one corpus, appending each file's load+check time. Returns the
// number of files whose verdict is not the manifest's (errors included).
int RunCorpus(const Flags& flags, const std::string& corpus, std::vector<FileTime>& times,
              int& files) {
  const std::string dir = flags.shared + "/" + corpus;
  Result<std::vector<testing::ManifestRow>> rows = testing::ReadManifest(dir + "/MANIFEST.tsv");
  if (!rows.ok()) {
    std::fprintf(stderr, "ERROR: %s\n", rows.message().c_str());
    return 1;
  }
  int bad = 0;
  for (const testing::ManifestRow& row : *rows) {
    const std::string name = corpus + "/" + row["file"];
    const Clock::time_point start = Clock::now();
    Result<testing::CorpusCase> c = testing::CaseFor(dir, row);
    if (!c.ok()) {
      std::fprintf(stderr, "ERROR: %s: %s\n", name.c_str(), c.message().c_str());
      ++bad;
      continue;
    }
    c->options.threads = flags.threads;
    c->options.time_limit_seconds = flags.time_limit;
    Result<history::History> h = testing::LoadCase(*c);
    if (!h.ok()) {
      std::fprintf(stderr, "ERROR: %s\n", h.message().c_str());
      ++bad;
      continue;
    }
    Result<checker::CheckResult> r = checker::linearizable::Check(*h, c->options);
    times.push_back({name, Seconds(start)});
    ++files;
    if (!r.ok()) {
      std::fprintf(stderr, "ERROR: %s: %s\n", name.c_str(), r.message().c_str());
      ++bad;
      continue;
    }
    const checker::Verdict want =
        c->expect_valid ? checker::Verdict::kValid : checker::Verdict::kInvalid;
    if (r->verdict != want) {
      std::fprintf(stderr, "MISMATCH: %s: manifest says %s, got %s (%s)\n", name.c_str(),
                   row["expected"].c_str(), std::string(checker::ToString(r->verdict)).c_str(),
                   r->summary.c_str());
      ++bad;
    }
  }
  return bad;
}

int Main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: corpus_bench [--shared DIR] [--corpus porcupine|knossos] "
                 "[--threads N] [--time-limit S]\n");
    return 2;
  }
  const Clock::time_point start = Clock::now();
  std::vector<FileTime> all;
  int bad = 0;
  for (const std::string& corpus : flags.corpora) {
    std::vector<FileTime> times;
    int files = 0;
    const Clock::time_point corpus_start = Clock::now();
    bad += RunCorpus(flags, corpus, times, files);
    std::printf("%-10s %3d files  %8.1f ms\n", corpus.c_str(), files, Seconds(corpus_start) * 1e3);
    all.insert(all.end(), times.begin(), times.end());
  }
  const double total = Seconds(start);
  std::sort(all.begin(), all.end(),
            [](const FileTime& a, const FileTime& b) { return a.seconds > b.seconds; });
  std::printf("slowest:\n");
  for (size_t i = 0; i < all.size() && i < 5; ++i) {
    std::printf("  %8.1f ms  %s\n", all[i].seconds * 1e3, all[i].name.c_str());
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  std::printf("total      %3zu files  %8.1f ms  peak RSS %.1f MiB  cpu %.1f ms\n", all.size(),
              total * 1e3, usage.ru_maxrss / 1024.0, ms(usage.ru_utime) + ms(usage.ru_stime));
  if (bad > 0) {
    std::fflush(stdout);
    std::fprintf(stderr, "\n*** %d PROBLEM(S): a verdict not the manifest's, or an error ***\n",
                 bad);
    std::printf("*** %d PROBLEM(S), see stderr ***\n", bad);
    return 1;
  }
  std::printf("all verdicts match the manifests\n");
  return 0;
}

}  // namespace
}  // namespace jepsen

int main(int argc, char** argv) { return jepsen::Main(argc, argv); }
