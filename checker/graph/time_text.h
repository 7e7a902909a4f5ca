// Times in explanations: "1.204 s", with more digits when two times that are
// compared would otherwise print alike (a drift bound missed by a microsecond);
// "line 17" for a history without clock times, whose times are line numbers.
#ifndef JEPSEN_CHECKER_GRAPH_TIME_TEXT_H_
#define JEPSEN_CHECKER_GRAPH_TIME_TEXT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "history/history.h"

namespace jepsen::checker::graph {

// `ns` nanoseconds as seconds with `digits` decimals: Seconds(1204000000) == "1.204 s".
std::string Seconds(int64_t ns, int digits = 3);
// The decimals (3, 6 or 9) that tell `a` and `b` apart.
int DigitsToTell(int64_t a, int64_t b);
// Two times that are compared, printed with the digits that tell them apart.
std::pair<std::string, std::string> SecondsPair(int64_t a, int64_t b);

// An instant of `history`: Seconds(t) with clock times, else "line t" (in a
// JSON array "element t").
std::string At(const history::History& history, int64_t t);
// Two compared instants of `history`: SecondsPair, or lines.
std::pair<std::string, std::string> AtPair(const history::History& history, int64_t a, int64_t b);
// Several instants of `history`, printed with the digits that tell any two of
// them apart.
std::vector<std::string> AtEach(const history::History& history, const std::vector<int64_t>& ts);

}  // namespace jepsen::checker::graph

#endif  // JEPSEN_CHECKER_GRAPH_TIME_TEXT_H_
