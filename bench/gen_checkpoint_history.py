#!/usr/bin/env python3
"""Generates checkpoint histories (workload "checkpoints") valid by construction.

Per stream, a correct store: a checkpoint is acknowledged only with a seq above
the stored one (stored then moves up), a retry of an older seq is refused
(fail), a timed-out checkpoint (info) took effect or was lost at random, and a
read returns the stored seq (null before any); a read concurrent with a
checkpoint sees the state before or after it. Streams interleave in time;
kill/start nemesis events are sprinkled in.

--violations N injects N reads that lose an acknowledged checkpoint (C1 and
C4), so the invalid path can be timed too.

Usage: gen_checkpoint_history.py --ops 1000000 --streams 10000 --seed 1 > ckpt.jsonl
"""
import argparse

import history_gen
from history_gen import MS


def stream_events(k, n_ops, rng, next_proc, inject):
    key = '"t%d"' % k
    events = history_gen.KeyEvents(key)
    t = rng.randrange(0, 100 * MS)
    stored = None
    seq = 0
    writer = next_proc()
    readers = [next_proc(), next_proc()]
    acked_before = []  # seqs acknowledged, for injected stale reads

    op = events.op

    def seen():
        return "null" if stored is None else '{"seq":%d}' % stored

    ops = 0
    while ops < n_ops:
        r = rng.random()
        d = rng.randrange(1, 20) * MS
        if r < 0.40:
            seq += rng.randrange(1, 3)
            body = '{"seq":%d,"data":"d%d"}' % (seq, seq)
            if rng.random() < 0.15:
                # A read concurrent with the checkpoint sees either state.
                before = seen()
                op(writer, "checkpoint", body, t, 4 * MS)
                stored = seq
                op(readers[0], "read", None, t + MS, 2 * MS,
                   result=before if rng.random() < 0.5 else seen())
                ops += 2
                t += 5 * MS
            else:
                t = op(writer, "checkpoint", body, t, d) + MS
                stored = seq
                ops += 1
            acked_before.append(seq)
        elif r < 0.47 and stored is not None:
            old = max(1, stored - rng.randrange(0, 3))
            t = op(writer, "checkpoint", '{"seq":%d}' % old, t, d, "fail",
                   error="not above stored seq %d" % stored) + MS
            ops += 1
        elif r < 0.50:
            seq += 1
            t = op(writer, "checkpoint", '{"seq":%d}' % seq, t, d, "info", error="timeout") + MS
            if rng.random() < 0.5:
                stored = seq  # it took effect; otherwise it was lost
            writer = next_proc()  # a process whose op timed out never returns
            ops += 1
        else:
            result = seen()
            if inject[0] > 0 and len(acked_before) > 2 and rng.random() < 0.05:
                inject[0] -= 1
                result = '{"seq":%d}' % acked_before[-3]
            t = op(readers[rng.randrange(2)], "read", None, t, d, result=result) + MS
            ops += 1
    return events.out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ops", type=int, default=1_000_000)
    ap.add_argument("--streams", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--violations", type=int, default=0)
    args = ap.parse_args()
    header = '{"format":"jepsen-history/1","workload":"checkpoints","seed":%d}' % args.seed
    history_gen.write_history(header, stream_events, args.streams, args.ops, args.seed,
                              args.violations, (200, 1000), 100)


if __name__ == "__main__":
    main()
