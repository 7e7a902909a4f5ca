#include "checker/junit.h"

#include <cstdio>

namespace jepsen::checker {

std::string XmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += "?";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string ToJUnit(const std::vector<JUnitSuite>& suites) {
  int tests = 0, failures = 0, errors = 0;
  std::string body;
  for (const JUnitSuite& suite : suites) {
    int suite_failures = 0, suite_errors = 0;
    std::string cases;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", suite.seconds);
    if (!suite.error.empty()) {
      ++suite_errors;
      cases += "    <testcase classname=\"" + XmlEscape(suite.name) + "\" name=\"read\">\n" +
               "      <error message=\"" + XmlEscape(suite.error) + "\"/>\n    </testcase>\n";
    }
    for (const CheckResult& r : suite.results) {
      cases += "    <testcase classname=\"" + XmlEscape(suite.name) + "\" name=\"" +
               XmlEscape(r.checker) + "\" time=\"" + seconds + "\">\n";
      if (r.verdict == Verdict::kInvalid) {
        ++suite_failures;
        cases += "      <failure message=\"" + XmlEscape(r.summary) + "\">" +
                 XmlEscape(r.explanation) + "</failure>\n";
      } else if (r.verdict == Verdict::kUnknown) {
        ++suite_errors;
        cases += "      <error message=\"" + XmlEscape(r.summary) + "\"/>\n";
      }
      cases += "    </testcase>\n";
    }
    const int suite_tests = static_cast<int>(suite.results.size()) + (suite.error.empty() ? 0 : 1);
    body += "  <testsuite name=\"" + XmlEscape(suite.name) + "\" tests=\"" +
            std::to_string(suite_tests) + "\" failures=\"" + std::to_string(suite_failures) +
            "\" errors=\"" + std::to_string(suite_errors) + "\" time=\"" + seconds + "\">\n" +
            cases + "  </testsuite>\n";
    tests += suite_tests;
    failures += suite_failures;
    errors += suite_errors;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"jepsen\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
         std::to_string(errors) + "\">\n" + body + "</testsuites>\n";
}

}  // namespace jepsen::checker
