"""Shared by the lease and checkpoint history generators: one key's ops as
JSONL lines, and a whole history from per-key event lists merged in time with
kill/start nemesis events."""
import heapq
import itertools
import random
import sys

MS = 1_000_000


class KeyEvents:
    """The (time, line) pairs of one key's ops, in the order they were made."""

    def __init__(self, key):
        self.key = key  # as JSON text
        self.out = []

    def op(self, proc, f, value, t0, dur, outcome="ok", result=None, error=None):
        """Appends an invoke at t0 and, unless outcome is None, its completion at
        t0 + dur carrying result (else value); returns t0 + dur."""
        self.out.append((t0, '{"type":"invoke","process":%d,"f":"%s","key":%s%s,"time":%d}' % (
            proc, f, self.key, "" if value is None else ',"value":' + value, t0)))
        if outcome is None:
            return t0 + dur
        v = result if result is not None else value
        self.out.append((t0 + dur, '{"type":"%s","process":%d,"f":"%s","key":%s%s,"time":%d%s}' % (
            outcome, proc, f, self.key, "" if v is None else ',"value":' + v, t0 + dur,
            "" if error is None else ',"error":"%s"' % error)))
        return t0 + dur


def write_history(header, key_events, keys, ops, seed, violations, kill_gap_ms, down_ms):
    """Writes header, then the events of key_events(k, ops_per_key, rng,
    next_proc, inject) for each of `keys` keys, with a kill of a random node
    every kill_gap_ms (a (low, high) range) lasting down_ms, merged in time.
    inject[0] counts the violations still to plant."""
    rng = random.Random(seed)
    procs = itertools.count()
    inject = [violations]
    per = max(1, ops // keys)
    streams = []
    end = 0
    for k in range(keys):
        ev = key_events(k, per, rng, lambda: next(procs), inject)
        ev.sort(key=lambda e: e[0])  # stable: an invoke stays before its completion
        end = max(end, ev[-1][0])
        streams.append(ev)
    nemesis = []
    t = 0
    while t < end:
        t += rng.randrange(*kill_gap_ms) * MS
        node = "n%d" % rng.randrange(1, 6)
        for f, at in (("kill", t), ("start", t + down_ms * MS)):
            nemesis.append((at, '{"type":"info","process":"nemesis","f":"%s","value":["%s"],"time":%d}'
                            % (f, node, at)))
    streams.append(nemesis)
    w = sys.stdout.write
    w(header + "\n")
    for _, line in heapq.merge(*streams, key=lambda e: e[0]):
        w(line)
        w("\n")
