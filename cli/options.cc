#include "cli/options.h"

#include <algorithm>
#include <cstdint>

namespace jepsen::cli {
namespace {

using options::NearestName;
using options::Range;

// An option by its long name (without dashes), or a short one ("h").
const CLI::Option* FindOption(const CLI::App& app, const std::string& name) {
  for (const CLI::Option* option : app.get_options()) {
    const auto& longs = option->get_lnames();
    const auto& shorts = option->get_snames();
    if (std::find(longs.begin(), longs.end(), name) != longs.end()) return option;
    if (std::find(shorts.begin(), shorts.end(), name) != shorts.end()) return option;
  }
  return nullptr;
}

Status UnknownOption(const CLI::App& app, const std::string& dashes, const std::string& name,
                     const std::string& argument) {
  std::vector<std::string> known;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& n : option->get_lnames()) known.push_back(n);
  }
  std::string message = "unknown option '" + dashes + name + "'";
  if (argument != dashes + name) message += " in '" + argument + "'";
  const std::string nearest = NearestName(name, known);
  if (!nearest.empty()) message += "; did you mean '" + dashes + nearest + "'?";
  return Status::Error(message);
}

bool HasPositionals(const CLI::App& app) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional() && !option->nonpositional()) return true;
  }
  return false;
}

}  // namespace

template <typename T>
CLI::Option* AddNumber(CLI::App& app, const std::string& name, T& value, const Range<T>& range,
                       const std::string& help) {
  auto store = [&value, range, name](const std::string& text) {
    Result<T> parsed = options::ParseNumber<T>(text, range);
    if (!parsed.ok()) throw CLI::ValidationError(name, parsed.message());
    value = parsed.value();
  };
  return app
      .add_option_function<std::string>(name, store, help + " [" + options::RangeText(range) + "]")
      ->type_name("NUMBER")
      ->default_str(options::NumberText(value));
}

#define JEPSEN_NUMBER_OPTION(T)                                                          \
  template CLI::Option* AddNumber<T>(CLI::App&, const std::string&, T&, const Range<T>&, \
                                     const std::string&);
JEPSEN_NUMBER_OPTION(int)
JEPSEN_NUMBER_OPTION(unsigned)
JEPSEN_NUMBER_OPTION(int64_t)
JEPSEN_NUMBER_OPTION(uint64_t)
JEPSEN_NUMBER_OPTION(double)
#undef JEPSEN_NUMBER_OPTION

Result<std::vector<std::string>> NormalizeArguments(
    const CLI::App& app, const std::vector<std::string>& args,
    const std::function<bool(const std::string& argument)>& is_option) {
  std::vector<std::string> out;
  const bool positionals = HasPositionals(app);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {  // the rest are positionals, whatever they look like
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    const bool dashed = a.size() > 1 && a[0] == '-';
    const size_t eq = a.find('=');
    if (!dashed && (eq == std::string::npos || eq == 0 || !is_option(a))) {
      if (!positionals) {
        return Status::Error("unexpected argument '" + a +
                             "' (options are key=value or --key value)");
      }
      out.push_back(a);
      continue;
    }
    const size_t begin = !dashed ? 0 : a[1] == '-' ? 2 : 1;
    const std::string dashes = a.substr(0, begin);
    const std::string name = a.substr(begin, eq == std::string::npos ? eq : eq - begin);
    const CLI::Option* option = FindOption(app, name);
    if (option == nullptr) return UnknownOption(app, dashed ? dashes : "", name, a);
    const auto& longs = option->get_lnames();
    const bool is_long = std::find(longs.begin(), longs.end(), name) != longs.end();
    const std::string flag = (is_long ? "--" : "-") + name;
    if (eq != std::string::npos) {
      out.push_back(flag + a.substr(eq));
    } else if (option->get_items_expected_min() > 0 && i + 1 < args.size()) {
      out.push_back(flag + "=" + args[++i]);  // even a value that starts with '-'
    } else {
      out.push_back(flag);
    }
  }
  return out;
}

int UsageError(const CLI::App& app, const std::string& message, std::ostream& err) {
  err << app.get_name() << ": error: " << message << "\nRun with --help for more information.\n";
  return 254;
}

std::optional<int> ParseArguments(CLI::App& app, const std::vector<std::string>& args,
                                  const std::function<bool(const std::string&)>& is_option,
                                  std::ostream& out, std::ostream& err) {
  auto usage = [&](const std::string& message) { return UsageError(app, message, err); };
  Result<std::vector<std::string>> normal = NormalizeArguments(app, args, is_option);
  if (!normal.ok()) return usage(normal.message());
  std::vector<std::string> reversed(normal->rbegin(), normal->rend());  // as CLI11 takes them
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);  // --help
    return usage(e.what());
  }
  return std::nullopt;
}

}  // namespace jepsen::cli
