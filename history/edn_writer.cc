#include "history/edn_writer.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "history/big_integer.h"

namespace jepsen::history {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) ||
         (c != '\0' && std::strchr("*+!-_?$%&=<>.'", c) != nullptr);
}

void AppendString(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
          out += escape;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendKey(std::string& out, const std::string& key) {
  if (IsEdnKeywordName(key)) {
    out.push_back(':');
    out += key;
  } else {
    AppendString(out, key);
  }
}

void Append(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
      out += "nil";
      break;
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      break;
    case Json::value_t::string:
      AppendString(out, value.get_ref<const std::string&>());
      break;
    case Json::value_t::number_float: {
      const double d = value.get<double>();
      if (std::isnan(d)) {
        out += "##NaN";
      } else if (std::isinf(d)) {
        out += d > 0 ? "##Inf" : "##-Inf";
      } else {
        out += value.dump();  // always with '.' or an exponent, so it reads back as a float
      }
      break;
    }
    case Json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& item : value) {
        if (!first) out.push_back(' ');
        first = false;
        Append(out, item);
      }
      out.push_back(']');
      break;
    }
    case Json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ", ";
        first = false;
        AppendKey(out, key);
        out.push_back(' ');
        Append(out, item);
      }
      out.push_back('}');
      break;
    }
    case Json::value_t::binary:
      if (IsBigInteger(value)) {
        out += BigIntegerDigits(value);
        out.push_back('N');  // Clojure's bigint literal
      } else {
        out += "nil";  // no reader makes other binary values
      }
      break;
    default:  // integers
      out += value.dump();
      break;
  }
}

}  // namespace

bool IsEdnKeywordName(std::string_view name) {
  if (name.empty() || IsDigit(name[0]) || name[0] == '\'') return false;
  // +1 and -1 would read back as numbers, not names.
  if ((name[0] == '+' || name[0] == '-' || name[0] == '.') && name.size() > 1 && IsDigit(name[1])) {
    return false;
  }
  size_t slash = std::string_view::npos;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '/') {
      if (slash != std::string_view::npos) return false;
      slash = i;
    } else if (!IsNameChar(name[i])) {
      return false;
    }
  }
  return slash == std::string_view::npos || (slash > 0 && slash + 1 < name.size());
}

std::string ToEdn(const Json& value) {
  std::string out;
  Append(out, value);
  return out;
}

std::string ToEdnLine(const Event& event) {
  std::string out = "{:type :";
  out += ToString(event.type);
  out += ", :f ";
  if (IsEdnKeywordName(event.f)) {
    out += ":" + event.f;
  } else {
    AppendString(out, event.f);
  }
  out += ", :value ";
  Append(out, event.value);
  out += ", :process ";
  out += event.is_nemesis() ? ":nemesis" : std::to_string(event.process);
  out += ", :time " + std::to_string(event.time);
  out += ", :index " + std::to_string(event.index);
  if (!event.key.is_null()) {
    out += ", :key ";
    Append(out, event.key);
  }
  if (!event.node.empty()) {
    out += ", :node ";
    AppendString(out, event.node);
  }
  if (!event.error.empty()) {
    out += ", :error ";
    AppendString(out, event.error);
  }
  if (event.extra.is_object()) {
    for (const auto& [key, item] : event.extra.items()) {
      out += ", ";
      AppendKey(out, key);
      out.push_back(' ');
      Append(out, item);
    }
  }
  out += "}\n";
  return out;
}

Status WriteEdn(const History& history, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "we");
  if (file == nullptr) return Status::Error(path + ": cannot create: " + std::strerror(errno));
  std::string text;
  if (!history.header.is_null()) {
    // A comment, so that Jepsen's tools see only ops; the JSON keeps it exact.
    text += "; jepsen-history header: " +
            history.header.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  }
  bool ok = true;
  for (const Event& event : history.events) {
    text += ToEdnLine(event);
    if (text.size() >= (1 << 20)) {
      ok = ok && std::fwrite(text.data(), 1, text.size(), file) == text.size();
      text.clear();
    }
  }
  ok = ok && std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const int saved = errno;
  if (std::fclose(file) != 0 || !ok) {
    return Status::Error(path + ": write failed: " + std::strerror(ok ? errno : saved));
  }
  return Status();
}

}  // namespace jepsen::history
