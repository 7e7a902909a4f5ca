#!/usr/bin/env python3
"""Generates lease histories (workload "leases") that are valid by construction.

Per resource, a correct lease service: one holder at a time, tokens increasing,
holds released (or renewed) well before ttl*(1-drift) runs out, the next grant
only after the previous release or after the lease certainly expired; fenced
writes with the current token accepted, stale tokens refused; reads of the
protected resource return the last accepted write (concurrent reads may see
the state before or after a write in flight). Other processes' acquires while
the lease is held fail; some ops time out (info) and their processes retire.
Resources interleave in time; kill/start nemesis events are sprinkled in.

--violations N injects N overlapping grants (L1) so the invalid path can be
timed too.

Usage: gen_lease_history.py --ops 1000000 --resources 1000 --seed 1 > leases.jsonl
"""
import argparse

import history_gen
from history_gen import MS

TTL_MS = 2000
DRIFT = 0.01


def resource_events(r, n_ops, rng, next_proc, inject):
    """Yields (time, line) for one resource, about n_ops ops."""
    key = '"r%d"' % r
    events = history_gen.KeyEvents(key)
    t = rng.randrange(0, 50 * MS)
    token = 0
    state = "null"  # last accepted write, as JSON
    ops = 0
    procs = [next_proc() for _ in range(4)]

    op = events.op

    while ops < n_ops:
        holder = rng.randrange(len(procs))
        p = procs[holder]
        ttl = TTL_MS
        t0 = t
        d = rng.randrange(1, 5) * MS
        if rng.random() < 0.02:
            # A timed-out acquire: it may have been granted; wait out the lease.
            op(p, "acquire", '{"ttl_ms":%d}' % ttl, t0, d, "info", error="timeout")
            token += 1
            procs[holder] = next_proc()
            ops += 1
            t = t0 + d + int(ttl * (1 + DRIFT) * MS) + MS
            continue
        token += 1
        granted = op(p, "acquire", '{"ttl_ms":%d}' % ttl, t0, d, result='{"token":%d}' % token)
        ops += 1
        hold_end = t0 + int(ttl * (1 - DRIFT) * MS)
        t = granted + MS
        if inject[0] > 0 and rng.random() < 0.1:
            # An injected violation: another process is granted the lease too.
            inject[0] -= 1
            q = procs[(holder + 1) % len(procs)]
            op(q, "acquire", '{"ttl_ms":%d}' % ttl, t, MS, result='{"token":%d}' % (token + 1000000))
            ops += 1
            t += 2 * MS
        for _ in range(rng.randrange(4, 12)):
            if t + 20 * MS > hold_end - 200 * MS:
                if rng.random() < 0.5:
                    break
                # Renew well before the hold runs out.
                hold_end = t + int(ttl * (1 - DRIFT) * MS)
                t = op(p, "renew", '{"token":%d,"ttl_ms":%d}' % (token, ttl), t, MS) + MS
                ops += 1
                continue
            kind = rng.random()
            other = procs[(holder + 1 + rng.randrange(len(procs) - 1)) % len(procs)]
            if kind < 0.35:
                value = rng.randrange(1000)
                new = '{"token":%d,"value":%d}' % (token, value)
                if rng.random() < 0.2:
                    # A read concurrent with the write sees either state.
                    w_end = t + 4 * MS
                    op(p, "write", new, t, 4 * MS)
                    seen = new if rng.random() < 0.5 else state
                    op(other, "read", None, t + MS, 2 * MS, result=seen)
                    ops += 2
                    t = w_end + MS
                else:
                    t = op(p, "write", new, t, rng.randrange(1, 4) * MS) + MS
                    ops += 1
                state = new
            elif kind < 0.7:
                t = op(other, "read", None, t, rng.randrange(1, 3) * MS, result=state) + MS
                ops += 1
            elif kind < 0.85 and token > 1:
                # A stale holder's write, refused.
                t = op(other, "write", '{"token":%d,"value":0}' % (token - 1), t, MS, "fail",
                       error="stale token") + MS
                ops += 1
            else:
                t = op(other, "acquire", '{"ttl_ms":%d}' % ttl, t, MS, "fail", error="held") + MS
                ops += 1
        t = op(p, "release", '{"token":%d}' % token, t, MS) + rng.randrange(1, 30) * MS
        ops += 1
    return events.out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ops", type=int, default=1_000_000)
    ap.add_argument("--resources", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--violations", type=int, default=0)
    args = ap.parse_args()
    header = ('{"format":"jepsen-history/1","workload":"leases","seed":%d,'
              '"options":{"ttl_ms":%d,"drift":%s}}' % (args.seed, TTL_MS, DRIFT))
    history_gen.write_history(header, resource_events, args.resources, args.ops, args.seed,
                              args.violations, (500, 3000), 200)


if __name__ == "__main__":
    main()
