// Text as one line of jepsen-keeper's protocol and back (remote/keeper_main.cc):
// a newline travels as `\n`, a backslash as `\\`. Header-only: the static
// keeper and the run share it.
#ifndef JEPSEN_SYSTEMS_REMOTE_LINE_ESCAPE_H_
#define JEPSEN_SYSTEMS_REMOTE_LINE_ESCAPE_H_

#include <string>

namespace jepsen::systems::remote {

inline std::string EscapeLine(const std::string& text) {
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\\') {
      line += "\\\\";
    } else {
      line += c;
    }
  }
  return line;
}

inline std::string UnescapeLine(const std::string& line) {
  std::string text;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      text += line[++i] == 'n' ? '\n' : line[i];
    } else {
      text += line[i];
    }
  }
  return text;
}

}  // namespace jepsen::systems::remote

#endif  // JEPSEN_SYSTEMS_REMOTE_LINE_ESCAPE_H_
