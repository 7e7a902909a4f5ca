#!/usr/bin/env bash
# Installs every build and test dependency from Debian packages (idempotent: apt is
# skipped when everything is present), then configures and builds the tools a user
# runs (jepsen-run, jepsen-check, jepsen-refstore, jepsen-diskfs) as Release binaries into build/;
# scripts/test.sh builds the rest.  Usage: scripts/bootstrap.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  clang-format            # scripts/test.sh checks every C++ file is formatted
  libboost-graph-dev      # dependency graphs for checker explanations
  nlohmann-json3-dev      # JSON values in memory and JSON output
  libsimdjson-dev         # fast JSONL history reading (200 MB/s+)
  libuv1-dev              # the runner's and the reference store's event loop
  libsqlite3-dev          # the reference store's durable state
  libgtest-dev libgmock-dev
  libcli11-dev            # command-line parsing
  libbenchmark-dev        # micro-benchmarks under bench/
  python3                 # bench history generators
  chromium                # headless browser: the HTML report's browser test (tests/report)
  libcurl4-openssl-dev    # system=etcd: clients speak etcd's JSON gateway through curl multi
  etcd-server etcd-client # system=etcd: the real system under test (3.4), and etcdctl
  iproute2 nftables       # nemesis=partition: network namespaces, veth pairs, grudge rules
  libfuse3-dev fuse3      # nemesis=power: jepsen-diskfs, the FUSE layer that loses non-durable writes
  libfaketime             # nemesis=clock: preloaded into nodes, their clocks stepped and sped up
  redis-server            # system=redis: the real system under test (7.0), started by the run
  libhiredis-dev          # system=redis: its clients, hiredis' async API on the run's libuv loop
  openssh-client          # nodes on remote hosts: the run reaches them with OpenSSH's ssh
  openssh-server          # tests: stand-in remote hosts (namespaces running sshd)
  postgresql              # system=postgres: the real server (initdb, postgres) and its user
  libpq-dev               # system=postgres: clients speak libpq's asynchronous API on the loop
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = "--no-build" ] && exit 0
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target jepsen-run jepsen-check jepsen-refstore jepsen-diskfs
