#include "checker/report/run_settings.h"

#include <cmath>
#include <cstdio>

namespace jepsen::checker::report {
namespace {

using history::Json;

std::string Text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "on" : "off";
  if (v.is_array()) {
    if (v.empty()) return "none";
    std::string out;
    for (const Json& x : v) out += (out.empty() ? "" : ", ") + Text(x);
    return out;
  }
  return v.dump();
}

// "7.0 s", "42 s", "3 min 5 s": a duration rounded to what a person compares.
std::string Duration(double seconds) {
  char buffer[48];
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
  } else {
    const auto s = static_cast<long long>(std::llround(seconds));
    std::snprintf(buffer, sizeof buffer, "%lld min %lld s", s / 60, s % 60);
  }
  return buffer;
}

const Json* Find(const Json& object, const std::string& name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

const std::vector<std::string>& DecidingOptions() {
  static const std::vector<std::string> kOptions = {
      "fencing", "reads",     "sync",   "appendfsync", "synchronous_commit",
      "fsync",   "isolation", "target", "ttl_ms",      "drift"};
  return kOptions;
}

std::vector<Setting> DecidingSettings(const Json& header, const Json& run) {
  static const Json kEmpty = Json::object();
  const Json* header_options = Find(header, "options");
  const Json& options = header_options != nullptr ? *header_options : kEmpty;
  auto field = [&](const std::string& name) -> const Json* {
    const Json* v = Find(run, name);
    return v != nullptr ? v : Find(header, name);
  };
  std::vector<Setting> out;
  for (const char* name : {"system", "workload"}) {
    if (const Json* v = field(name)) out.push_back({name, Text(*v)});
  }
  if (const Json* v = field("nemesis")) {
    std::string text = Text(*v);
    if (const Json* targets = Find(options, "targets"); targets != nullptr && text != "none") {
      text += " (targets: " + Text(*targets) + ")";
    }
    out.push_back({"nemesis", text});
  }
  for (const std::string& name : DecidingOptions()) {
    if (const Json* v = Find(options, name)) out.push_back({name, Text(*v)});
  }
  const Json* bugs = Find(run, "bugs");
  if (bugs == nullptr) bugs = Find(options, "bugs");
  if (bugs != nullptr) out.push_back({"bugs", Text(*bugs)});
  if (const Json* v = field("seed")) out.push_back({"seed", Text(*v)});
  if (const Json* v = Find(options, "concurrency")) out.push_back({"clients", Text(*v)});
  if (const Json* v = Find(run, "elapsed_s"); v != nullptr && v->is_number()) {
    out.push_back({"duration", Duration(v->get<double>())});
  }
  return out;
}

}  // namespace jepsen::checker::report
