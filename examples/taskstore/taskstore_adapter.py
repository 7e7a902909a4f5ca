#!/usr/bin/env python3
"""The jepsen-run client adapter for taskstore_node.py (docs/exec-protocol.md).

Reads requests as JSON lines on stdin, answers on stdout, several in flight (a
thread per request). Maps the history format's lease and checkpoint ops onto the
service's HTTP API, and HTTP outcomes onto ok / fail / info:
  200                          -> ok
  409 / 400 / refused to connect -> fail  (certainly did not happen)
  timeout or connection dropped after sending -> info (may have happened)
"""
import http.client
import json
import sys
import threading
import time

out_lock = threading.Lock()
host, port = "127.0.0.1", None
workload = None

def reply(message):
    with out_lock:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

def call(path, body, timeout=1.0):
    """Returns (status, body). Raises ConnectionRefusedError before sending,
    other OSErrors (timeouts, resets) after."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.connect()
    except ConnectionRefusedError:
        raise
    except OSError as e:
        raise ConnectionRefusedError(str(e))
    try:
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()

def translate(req):
    """The HTTP call for an op, and how to turn a 200 body into the op's value."""
    f, key, value = req["f"], req.get("key"), req.get("value") or {}
    if f == "checkpoint":
        return "/checkpoint", {"task": key, "seq": value["seq"], "data": value.get("data")}, None
    if f == "read" and workload == "checkpoints":
        return "/read_checkpoint", {"task": key}, lambda b: None if b.get("seq") is None else {"seq": b["seq"]}
    if f == "acquire":
        return "/acquire", {"item": key, "ttl_ms": value["ttl_ms"]}, lambda b: {"token": b["token"]}
    if f == "renew":
        return "/renew", {"item": key, "token": value["token"], "ttl_ms": value["ttl_ms"]}, None
    if f == "release":
        return "/release", {"item": key, "token": value["token"]}, None
    if f == "write":
        return "/write", {"item": key, "token": value["token"], "value": value.get("value")}, None
    if f == "read":
        return "/read", {"item": key}, lambda b: b or None
    raise ValueError(f"unknown op {f}")

def handle(req):
    rid = req["id"]
    try:
        path, body, value_of = translate(req)
    except (ValueError, KeyError, TypeError) as e:
        return reply({"id": rid, "type": "fail", "error": f"adapter: {e}"})
    try:
        status, answer = call(path, body)
    except ConnectionRefusedError as e:
        time.sleep(0.05)
        return reply({"id": rid, "type": "fail", "error": f"node unreachable: {e}"})
    except OSError as e:
        return reply({"id": rid, "type": "info", "error": f"no answer: {e}"})
    if status == 200:
        return reply({"id": rid, "type": "ok", "value": value_of(answer) if value_of else None})
    return reply({"id": rid, "type": "fail", "error": answer.get("error", f"HTTP {status}")})

def main():
    global host, port, workload
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        if req.get("type") == "init":
            host = req["nodes"][0].get("host", "127.0.0.1")
            port = req["nodes"][0]["port"]
            workload = req.get("workload")
            deadline = time.time() + 10
            while time.time() < deadline:  # wait for the node to serve
                try:
                    call("/health", {})
                    break
                except OSError:
                    time.sleep(0.05)
            reply({"type": "init_ok"})
            continue
        threading.Thread(target=handle, args=(req,), daemon=True).start()

if __name__ == "__main__":
    main()
