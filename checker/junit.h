// JUnit XML for CI systems: one test suite per checked history or run, one
// test case per checker; an invalid verdict is a failure carrying the
// explanation, an unknown one is an error (the budget ran out).
#ifndef JEPSEN_CHECKER_JUNIT_H_
#define JEPSEN_CHECKER_JUNIT_H_

#include <string>
#include <vector>

#include "checker/check_result.h"

namespace jepsen::checker {

struct JUnitSuite {
  std::string name;  // e.g. the history file or the run directory
  std::vector<CheckResult> results;
  double seconds = 0;
  std::string error;  // the history could not be read or checked; reported as an error case
};

std::string ToJUnit(const std::vector<JUnitSuite>& suites);
// Escapes text for XML content and attribute values.
std::string XmlEscape(const std::string& text);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_JUNIT_H_
