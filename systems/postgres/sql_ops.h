// The workloads' ops as PostgreSQL statements (docs/postgres.md), one
// autocommitted statement each, and their results as completions, apart from
// the connection that carries them so they can be tested without a server:
//  register:    read = SELECT; write = upsert; cas = UPDATE ... WHERE value = expected;
//  leases:      acquire = upsert of the lease row taking it only when it ran out or was
//               released, by the server's clock_timestamp(), the token one above the row's
//               last; renew and release = UPDATE guarded by the token and the expiry; write =
//               upsert of the resource guarded by the token (fencing on) or not;
//  checkpoints: checkpoint = INSERT ... ON CONFLICT DO UPDATE ... WHERE stored.seq < new seq.
// A statement that touches no row is the op's `fail` (cas: not the expected value; acquire:
// held; renew, release: not the holder, or run out; fenced write: stale token; checkpoint: not
// above the stored seq).
#ifndef JEPSEN_SYSTEMS_POSTGRES_SQL_OPS_H_
#define JEPSEN_SYSTEMS_POSTGRES_SQL_OPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "history/status.h"
#include "systems/system.h"

namespace jepsen::systems::postgres {

// The tables every run's database gets before its clients start.
extern const char* const kSchema;

struct Statement {
  enum class Reads {
    kChange,      // ok when it touched a row, else fail with `refused`
    kToken,       // acquire: ok {"token": N} when it returned a row
    kRegister,    // the value, null without a row
    kResource,    // {"token": N, "value": V}, null without a row
    kCheckpoint,  // {"seq": N}, null without a row
  };
  std::string sql;
  std::vector<std::string> params;  // $1, $2, ... as text
  Reads reads = Reads::kChange;
  std::string refused;  // the fail's error when no row was touched
};

// The statement for `request` in `workload`; an error for an op the workload has not.
Result<Statement> StatementFor(const std::string& workload, const Request& request, bool fencing);

// A row as libpq gives it: each column's text, nullopt for NULL.
using Row = std::vector<std::optional<std::string>>;
// What the statement's result means: `rows` returned, `touched` (PQcmdTuples) rows changed.
Completion Interpret(const Statement& statement, const std::vector<Row>& rows, int64_t touched);

// An error result, by its severity (PG_DIAG_SEVERITY_NONLOCALIZED): an ERROR ends the
// autocommitted statement's transaction without a commit, so the op failed (a serialization
// failure 40001, a deadlock, a full disk), even when the connection goes right after; a FATAL
// or PANIC ends the session or the server, and a commit may have come first: `info`.
history::EventType ErrorOutcome(const std::string& severity);

}  // namespace jepsen::systems::postgres

#endif  // JEPSEN_SYSTEMS_POSTGRES_SQL_OPS_H_
