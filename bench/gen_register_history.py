#!/usr/bin/env python3
"""Generates register histories that are linearizable by construction.

Each op takes effect at a random instant inside its interval (indeterminate ops:
at a random instant after invocation, or never), and reads and cas see the
register as those instants order it. Output shapes:

  etcd-log  Porcupine's etcd log lines (one register, values 0-4, nil initial)
  jsonl     our history format, with keys, for big multi-key histories

Only writes and cas time out (end `info`), as in Jepsen's etcd test, where a
timed-out read is a `fail` (reads change nothing). --info is the fraction of
those mutating ops that time out (--info-of mutations, the default), or of all
ops (--info-of ops: the probability per mutating op is scaled up by the mix,
60% writes and cas). Either way each timed-out op's process never returns;
its thread goes on as a fresh process, as Jepsen's do.

Usage: gen_register_history.py --shape etcd-log --ops 2000 --processes 30 \
           --info 0.15 --seed 1 > out.log
"""
import argparse
import heapq
import json
import random
import sys

READ, WRITE = 0.4, 0.35  # the op mix: 40% reads, 35% writes, the rest (25%) cas
MUTATING = 1 - READ


def schedule(ops, processes, info, keys, rng):
    """Returns ops as dicts with call/ret/lin times and outcomes decided."""
    result = []
    free = [rng.random() for _ in range(processes)]
    proc_id = list(range(processes))
    next_proc = processes
    heap = [(free[t], t) for t in range(processes)]
    heapq.heapify(heap)
    for _ in range(ops):
        start, t = heapq.heappop(heap)
        duration = rng.expovariate(1.0) + 0.05
        r = rng.random()
        f = "read" if r < READ else ("write" if r < READ + WRITE else "cas")
        op = {"process": proc_id[t], "f": f, "call": start, "key": rng.randrange(keys)}
        if f == "write":
            op["value"] = rng.randrange(5)
        elif f == "cas":
            op["value"] = [rng.randrange(5), rng.randrange(5)]
        if f != "read" and rng.random() < info:
            op["info"] = True
            op["ret"] = start + duration
            op["lin"] = start + rng.random() * 3 * duration if rng.random() < 0.5 else None
            proc_id[t] = next_proc  # a process that timed out never returns
            next_proc += 1
        else:
            op["ret"] = start + duration
            op["lin"] = start + rng.random() * duration
        result.append(op)
        heapq.heappush(heap, (op["ret"] + rng.random() * 0.3, t))
    # Apply effects in linearization order.
    state = {}
    for op in sorted((o for o in result if o["lin"] is not None), key=lambda o: o["lin"]):
        cur = state.get(op["key"])
        if op["f"] == "read":
            op["seen"] = cur
        elif op["f"] == "write":
            state[op["key"]] = op["value"]
        else:
            ok = cur == op["value"][0]
            if ok:
                state[op["key"]] = op["value"][1]
            op["cas_ok"] = ok
    return result


def events(ops):
    evs = []
    for i, op in enumerate(ops):
        evs.append((op["call"], 0, i, "invoke", op))
        evs.append((op["ret"], 1, i, "done", op))
    evs.sort(key=lambda e: (e[0], e[1], e[2]))
    return evs


def outcome(op):
    if op.get("info"):
        return "info"
    if op["f"] == "cas" and not op.get("cas_ok"):
        return "fail"
    return "ok"


def edn(v):
    if v is None:
        return "nil"
    if isinstance(v, list):
        return "[" + " ".join(edn(x) for x in v) + "]"
    return str(v)


def write_etcd_log(ops, out):
    for _, _, _, kind, op in events(ops):
        if kind == "invoke":
            value = None if op["f"] == "read" else op["value"]
            out.write(f"INFO  jepsen.util - {op['process']}\t:invoke\t:{op['f']}\t{edn(value)}\n")
        else:
            t = outcome(op)
            if t == "info":
                value = ":timed-out"
            elif op["f"] == "read":
                value = edn(op.get("seen"))
            else:
                value = edn(op["value"])
            out.write(f"INFO  jepsen.util - {op['process']}\t:{t}\t:{op['f']}\t{value}\n")


def write_jsonl(ops, out, seed):
    out.write(json.dumps({"format": "jepsen-history/1", "workload": "register",
                          "seed": seed}) + "\n")
    for t, _, _, kind, op in events(ops):
        ev = {"type": "invoke" if kind == "invoke" else outcome(op), "process": op["process"],
              "f": op["f"], "key": op["key"], "time": int(t * 1e6)}
        if op["f"] != "read":
            ev["value"] = op["value"]
        elif kind != "invoke" and outcome(op) == "ok":
            ev["value"] = op.get("seen")
        out.write(json.dumps(ev, separators=(",", ":")) + "\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shape", choices=["etcd-log", "jsonl"], default="etcd-log")
    p.add_argument("--ops", type=int, default=2000)
    p.add_argument("--processes", type=int, default=10)
    p.add_argument("--info", type=float, default=0.05, help="fraction timing out (see --info-of)")
    p.add_argument("--info-of", choices=["mutations", "ops"], default="mutations",
                   help="what --info is a fraction of: writes and cas, or all ops")
    p.add_argument("--keys", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = random.Random(a.seed)
    info = a.info if a.info_of == "mutations" else a.info / MUTATING
    if not 0 <= info <= 1:
        p.error(f"--info {a.info} of all ops exceeds the share of writes and cas ({MUTATING})")
    ops = schedule(a.ops, a.processes, info, a.keys, rng)
    out = sys.stdout
    if a.shape == "etcd-log":
        write_etcd_log(ops, out)
    else:
        write_jsonl(ops, out, a.seed)


if __name__ == "__main__":
    main()
