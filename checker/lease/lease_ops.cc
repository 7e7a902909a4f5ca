#include "checker/lease/lease_ops.h"

#include <cmath>

#include "checker/graph/int64_value.h"
#include "checker/graph/key_index.h"

namespace jepsen::checker::lease {
namespace {

using history::Event;
using history::EventType;
using history::History;
using history::Json;

Status FieldError(const History& h, const Event& e, const std::string& field,
                  const std::string& what) {
  return Status::Error(h.where(e) + ": leases checker: field '" + field + "' " + what);
}

// value.token of `value` (an event's value), which must be an int64.
Result<int64_t> Token(const History& h, const Event& e, const Json& value,
                      const std::string& op_what) {
  if (value.is_object()) {
    auto it = value.find("token");
    if (it != value.end()) {
      if (std::optional<int64_t> token = graph::AsInt64(*it)) return *token;
      return FieldError(h, e, "value.token",
                        "of " + op_what + " must be an integer in " + graph::kInt64Range +
                            " (got " + it->dump() + ")");
    }
  }
  return FieldError(h, e, "value.token", "missing: " + op_what + " needs {\"token\": N}");
}

// value.ttl_ms, else the default; an error when neither is there.
Result<double> Ttl(const History& h, const Event& e, double default_ttl_ms,
                   const std::string& op_what) {
  if (e.value.is_object()) {
    auto it = e.value.find("ttl_ms");
    if (it != e.value.end()) {
      if (!it->is_number() || it->get<double>() < 0 || !std::isfinite(it->get<double>())) {
        return FieldError(
            h, e, "value.ttl_ms",
            "of " + op_what + " must be a non-negative number (got " + it->dump() + ")");
      }
      return it->get<double>();
    }
  }
  if (default_ttl_ms >= 0) return default_ttl_ms;
  return FieldError(
      h, e, "value.ttl_ms",
      "missing: " + op_what + " needs {\"ttl_ms\": T} (or the header's options.ttl_ms)");
}

// A non-negative span in ns, rounded to the nearest; kNever when too long.
int64_t Nanoseconds(double ns) { return ns < 0x1p63 ? std::llround(ns) : kNever; }

}  // namespace

int64_t Clock::Hold(double ttl_ms) const {
  return timed ? Nanoseconds(ttl_ms * 1e6 * (1 - drift)) : kNever;
}
int64_t Clock::Longest(double ttl_ms) const {
  return timed ? Nanoseconds(ttl_ms * 1e6 * (1 + drift)) : kNever;
}

Result<LeaseOps> ParseLeaseOps(const History& history, double default_ttl_ms) {
  LeaseOps out;
  graph::KeyIndex keys;
  for (uint32_t i = 0; i < history.ops.size(); ++i) {
    const history::Op& op = history.ops[i];
    const Event& invoke = history.invocation(op);
    ++out.ops;
    auto [index, inserted] = keys.Find(invoke.key);
    if (inserted) out.resources.emplace_back().key = invoke.key;
    Resource& r = out.resources[index];
    const Event* done = history.completion(op);
    TokenOp t;
    t.op = i;
    t.invoke = invoke.time;
    t.outcome = op.outcome;
    if (op.outcome != EventType::kInfo) t.complete = done->time;

    const std::string& f = invoke.f;
    if (f == "acquire") {
      if (op.outcome != EventType::kOk) continue;  // nobody became a holder
      Result<double> ttl = Ttl(history, invoke, default_ttl_ms, "an acquire");
      if (!ttl.ok()) return ttl.status();
      Result<int64_t> token = Token(history, *done, done->value, "an acquire's ok completion");
      if (!token.ok()) return token.status();
      r.grants.push_back(Grant{i, invoke.time, done->time, *token, *ttl});
    } else if (f == "renew") {
      Result<int64_t> token = Token(history, invoke, invoke.value, "a renew");
      if (!token.ok()) return token.status();
      t.token = *token;
      if (op.outcome == EventType::kOk) {
        Result<double> ttl = Ttl(history, invoke, default_ttl_ms, "a renew");
        if (!ttl.ok()) return ttl.status();
        t.ttl_ms = *ttl;
      }
      r.renews.push_back(t);
    } else if (f == "release") {
      Result<int64_t> token = Token(history, invoke, invoke.value, "a release");
      if (!token.ok()) return token.status();
      t.token = *token;
      r.releases.push_back(t);
    } else if (f == "write") {
      Result<int64_t> token = Token(history, invoke, invoke.value, "a fenced write");
      if (!token.ok()) return token.status();
      t.token = *token;
      r.writes.push_back(t);
      r.rw_ops.push_back(i);
    } else if (f == "read") {
      r.rw_ops.push_back(i);
      if (op.outcome != EventType::kOk) continue;
      ++r.ok_reads;
      if (!done->value.is_null()) {
        if (!done->value.is_object()) {
          return FieldError(history, *done, "value",
                            "of a read must be {\"token\": N, \"value\": V} or null (got " +
                                done->value.dump() + ")");
        }
        Result<int64_t> token = Token(history, *done, done->value, "a read's ok completion");
        if (!token.ok()) return token.status();
      }
    } else {
      return FieldError(history, invoke, "f",
                        "'" + f +
                            "' is not a lease operation (expected acquire, renew, release, "
                            "write or read)");
    }
  }
  return out;
}

}  // namespace jepsen::checker::lease
