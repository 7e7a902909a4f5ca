#!/usr/bin/env python3
"""A small task-orchestration recovery service: task checkpoints with sequence
numbers and leases on work items, over HTTP/JSON, in SQLite. Standard library only.

    taskstore_node.py [--host 127.0.0.1] --port 8000 --data DIR [--unsafe ack-before-commit|leases-in-memory|wal-normal]

POST /checkpoint {"task", "seq", "data"}   -> 200 {} | 409 {"error"} (seq not above the stored one)
POST /read_checkpoint {"task"}             -> 200 {"seq": N | null}
POST /acquire {"item", "ttl_ms"}           -> 200 {"token": N} | 409 {"error": "held"}
POST /renew {"item", "token", "ttl_ms"}    -> 200 {} | 409 {"error"}
POST /release {"item", "token"}            -> 200 {} | 409 {"error"}
POST /write {"item", "token", "value"}     -> 200 {} | 409 {"error": "stale token"} (fenced output)
POST /read {"item"}                        -> 200 {"token", "value"} | {} before any write

The --unsafe switches are realistic mistakes a recovery component makes:
  ack-before-commit  checkpoints are acknowledged first and committed by a background
                     thread every half second ("the commit is slow, batch it") - a
                     kill -9 loses acknowledged checkpoints;
  leases-in-memory   leases live in a dict ("they expire anyway, why persist them?") -
                     after a restart the store grants an item that is still held, and
                     fencing tokens start again from 1;
  wal-normal         SQLite's synchronous=NORMAL in WAL mode ("FULL is slow, and NORMAL
                     is safe with WAL") - a commit is acknowledged before the WAL is
                     fsynced: a kill loses nothing, a power loss (nemesis=power) loses
                     acknowledged checkpoints.
"""
import argparse
import json
import os
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCHEMA = """
CREATE TABLE IF NOT EXISTS checkpoints(task TEXT PRIMARY KEY, seq INTEGER NOT NULL, data TEXT);
CREATE TABLE IF NOT EXISTS leases(item TEXT PRIMARY KEY, last_token INTEGER NOT NULL,
                                  holder INTEGER, expires_ms INTEGER);
CREATE TABLE IF NOT EXISTS outputs(item TEXT PRIMARY KEY, token INTEGER NOT NULL, value TEXT);
"""


class Conflict(Exception):
    pass


class Store:
    def __init__(self, path, unsafe):
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL" if unsafe == "wal-normal" else
                        "PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()
        self.unsafe = unsafe
        self.memory_leases = {}  # item -> [last_token, holder, expires_ms]
        self.pending = []        # ack-before-commit: acknowledged, not yet committed
        if unsafe == "ack-before-commit":
            threading.Thread(target=self._committer, daemon=True).start()

    def _committer(self):
        while True:
            time.sleep(0.5)
            with self.lock:
                batch, self.pending = self.pending, []
                if batch:
                    self.db.execute("BEGIN IMMEDIATE")
                    for task, seq, data in batch:
                        self.db.execute("INSERT OR REPLACE INTO checkpoints VALUES (?, ?, ?)",
                                        (task, seq, data))
                    self.db.execute("COMMIT")

    def _stored_seq(self, task):
        for t, seq, _ in reversed(self.pending):
            if t == task:
                return seq
        row = self.db.execute("SELECT seq FROM checkpoints WHERE task = ?", (task,)).fetchone()
        return row[0] if row else None

    def checkpoint(self, task, seq, data):
        with self.lock:
            stored = self._stored_seq(task)
            if stored is not None and seq <= stored:
                raise Conflict(f"seq {seq} is not above the stored {stored}")
            if self.unsafe == "ack-before-commit":
                self.pending.append((task, seq, data))
                return {}
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("INSERT OR REPLACE INTO checkpoints VALUES (?, ?, ?)", (task, seq, data))
            self.db.execute("COMMIT")
            return {}

    def read_checkpoint(self, task):
        with self.lock:
            return {"seq": self._stored_seq(task)}

    def _lease(self, item):
        if self.unsafe == "leases-in-memory":
            return list(self.memory_leases.get(item, [0, None, 0]))
        row = self.db.execute("SELECT last_token, holder, expires_ms FROM leases WHERE item = ?",
                              (item,)).fetchone()
        return list(row) if row else [0, None, 0]

    def _save_lease(self, item, lease):
        if self.unsafe == "leases-in-memory":
            self.memory_leases[item] = lease
            return
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT OR REPLACE INTO leases VALUES (?, ?, ?, ?)", (item, *lease))
        self.db.execute("COMMIT")

    def lease_op(self, op, item, token=None, ttl_ms=None):
        now = int(time.time() * 1000)
        with self.lock:
            last_token, holder, expires = self._lease(item)
            live = holder is not None and now < expires
            if op == "acquire":
                if live:
                    raise Conflict("held")
                token = last_token + 1
                self._save_lease(item, [token, token, now + ttl_ms])
                return {"token": token}
            if holder != token:
                raise Conflict("not the holder")
            if not live:
                raise Conflict("lease expired")
            if op == "renew":
                self._save_lease(item, [last_token, holder, now + ttl_ms])
            else:
                self._save_lease(item, [last_token, None, 0])
            return {}

    def write(self, item, token, value):
        with self.lock:
            row = self.db.execute("SELECT token FROM outputs WHERE item = ?", (item,)).fetchone()
            if row and token < row[0]:
                raise Conflict(f"stale token {token} (accepted {row[0]})")
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?)",
                            (item, token, json.dumps(value)))
            self.db.execute("COMMIT")
            return {}

    def read(self, item):
        with self.lock:
            row = self.db.execute("SELECT token, value FROM outputs WHERE item = ?",
                                  (item,)).fetchone()
            return {"token": row[0], "value": json.loads(row[1])} if row else {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--unsafe", choices=["ack-before-commit", "leases-in-memory", "wal-normal"])
    args = parser.parse_args()
    os.makedirs(args.data, exist_ok=True)
    store = Store(os.path.join(args.data, "tasks.db"), args.unsafe)
    routes = {
        "/checkpoint": lambda b: store.checkpoint(b["task"], int(b["seq"]), json.dumps(b.get("data"))),
        "/read_checkpoint": lambda b: store.read_checkpoint(b["task"]),
        "/acquire": lambda b: store.lease_op("acquire", b["item"], ttl_ms=int(b["ttl_ms"])),
        "/renew": lambda b: store.lease_op("renew", b["item"], int(b["token"]), int(b["ttl_ms"])),
        "/release": lambda b: store.lease_op("release", b["item"], int(b["token"])),
        "/write": lambda b: store.write(b["item"], int(b["token"]), b.get("value")),
        "/read": lambda b: store.read(b["item"]),
        "/health": lambda b: {},
    }

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                route = routes.get(self.path)
                if route is None:
                    self._reply(404, {"error": "no such endpoint"})
                else:
                    self._reply(200, route(body))
            except Conflict as e:
                self._reply(409, {"error": str(e)})
            except (KeyError, ValueError, TypeError) as e:
                self._reply(400, {"error": f"bad request: {e}"})

        def _reply(self, code, body):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((args.host, args.port), Handler)
    print(f"taskstore listening on {args.host}:{args.port}"
          f"{' (unsafe: ' + args.unsafe + ')' if args.unsafe else ''}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
