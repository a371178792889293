#!/usr/bin/env bash
# A/B of two BlobService builds, alone on loopback (no gateway, no Redis), filesystem storage in
# temporary directories: both are started, then each round runs the same workloads against A
# and B, swapping who goes first every round, so a busy machine's noise is shared. Prints each
# round's MiB/s per figure and the medians. A benchmark, not a test.
#
#   bench/ab.sh A_DIR B_DIR [--rounds N] [-- bench options]
#   A_DIR/B_DIR: folders holding RegistryCloud.BlobService.dll (a Release build's output, copied).
#   default bench options: --workloads monolithic,pull --blob-size 512M --pull-repeat 4
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
a=$1; b=$2; shift 2
rounds=3
bench_args=(--workloads monolithic,pull --blob-size 512M --pull-repeat 4)
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift ;;
    --) shift; bench_args=("$@"); break ;;
    *) echo "ab.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

work=$(mktemp -d /tmp/registry-ab.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

start() { # NAME DIR -> prints port
  local name=$1 dir=$2 port
  port=$(( 20000 + RANDOM % 20000 ))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( 20000 + RANDOM % 20000 )); done
  mkdir -p "$work/$name"
  REGISTRYCLOUD_HTTP_PORT=$port REGISTRY_STORAGE=filesystem REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$work/$name" \
    ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    dotnet "$dir/RegistryCloud.BlobService.dll" >"$work/$name.log" 2>&1 &
  pids+=($!)
  eval "port_$name=$port"
}
wait_up() {
  local port=$1 code
  for _ in $(seq 1 150); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/ab/blobs/sha256:$(printf '0%.0s' $(seq 1 64))" || true)
    [ "$code" = 404 ] && return 0
    sleep 0.2
  done
  echo "ab.sh: nothing answers on $port" >&2; return 1
}
start A "$a"; start B "$b"
wait_up "$port_A"; wait_up "$port_B"

run() { # NAME ROUND
  local name=$1 round=$2 port
  port=$(eval echo "\$port_$name")
  dotnet "$root/bench/RegistryBench/bin/Release/net10.0/RegistryCloud.Bench.dll" --url "http://127.0.0.1:$port" \
    --label "$name" --seed $((round * 7919)) --repo-prefix "ab$round" "${bench_args[@]}" --json "$work/$name.$round.json" >/dev/null
  python3 - "$work/$name.$round.json" "$name" "$round" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
items = doc if isinstance(doc, list) else doc.get("results", doc.get("Results", []))
for r in items:
    fig = r.get("name")
    thr = r.get("throughput")
    print(f"round {sys.argv[3]} {sys.argv[2]} {fig} {thr:.0f} load {sys.argv[4]}")
PY
}
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order="A B"; else order="B A"; fi
  for name in $order; do run "$name" "$round"; done
done | tee "$work/rounds.txt"
echo "medians:"
python3 - "$work/rounds.txt" <<'PY'
import statistics, sys
values = {}
for line in open(sys.argv[1]):
    _, _, name, figure, mibs, *_ = line.split()
    values.setdefault((figure, name), []).append(float(mibs))
for (figure, name), v in sorted(values.items()):
    print(f"{figure} {name} median {statistics.median(v):.0f} MiB/s of {len(v)}")
PY
