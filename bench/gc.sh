#!/usr/bin/env bash
# The garbage collector at scale (issue 16). Writes a registry's storage directly in Distribution's
# layout (RegistryCloud.Bench layout: 10,000 repositories, 100,000 blobs in tagged images, plus
# untagged images and orphan blobs as garbage), then measures:
#   1. offline: `registrycloud gc --root --delete-untagged`, a dry run and a real run, each with
#      its wall time and peak resident memory (/usr/bin/time);
#   2. online: BlobService on that storage, small-blob pushes (RegistryCloud.Bench small, 16
#      clients) with the collector off and with it running back to back (gc.interval 1s, the
#      default gc.dutycycle unless REGISTRY_GC_DUTYCYCLE is set), in alternating rounds; how many
#      collections completed while the pushes ran, and how long the one they overlapped took.
# Everything it starts it stops; the data is deleted. A benchmark, not a test: it reports figures
# and fails only when a step fails.
#
#   bench/gc.sh
#   options: --repos N (10000)  --blobs N (100000)  --small-count N (20000)  --rounds N (2)
#            --no-build  --keep (keep the data directory)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
repos=10000 blobs=100000 small=20000 rounds=2 build=1 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --repos) repos=$2; shift ;;
    --blobs) blobs=$2; shift ;;
    --small-count) small=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --no-build) build=0 ;;
    --keep) keep=1 ;;
    *) echo "gc.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d /tmp/registry-gc.XXXXXX)
blob_pid=""
stop_blobservice() {
  if [ -n "$blob_pid" ]; then
    kill -TERM "$blob_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$blob_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$blob_pid" 2>/dev/null || true
    wait "$blob_pid" 2>/dev/null || true
    blob_pid=""
  fi
}
cleanup() {
  stop_blobservice
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ "$build" = 1 ]; then
  for project in Admin BlobService bench/RegistryBench; do
    dotnet build -c Release "$root/$project" -v q -nologo >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  done
fi
bench=(dotnet "$root/bench/RegistryBench/bin/Release/net10.0/RegistryCloud.Bench.dll")
admin=(dotnet "$root/Admin/bin/Release/net10.0/RegistryCloud.Admin.dll")

start=$(date +%s.%N)
"${bench[@]}" layout --root "$work/root" --repos "$repos" --blobs "$blobs"
echo "layout written in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}') s"

# 1. Offline.
/usr/bin/time -f '%e %M' -o "$work/time.dry" "${admin[@]}" gc --root "$work/root" --dry-run --delete-untagged >"$work/gc-dry.out"
/usr/bin/time -f '%e %M' -o "$work/time.real" "${admin[@]}" gc --root "$work/root" --delete-untagged >"$work/gc-real.out"
summary() { grep -m1 'blobs marked' "$1"; }

# 2. Online: BlobService on the collected storage (the tagged images stay; the collector's work
# is marking them all again), pushes with the collector off and on.
port=$(( 20000 + RANDOM % 20000 ))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( 20000 + RANDOM % 20000 )); done
start_blobservice() { # $1: gc enabled (true/false), $2: log file
  # env: a variable name with dots (the log category) is no shell assignment.
  env REGISTRYCLOUD_HTTP_PORT=$port REGISTRY_STORAGE=filesystem REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$work/root" \
    REGISTRY_GC_ENABLED=$1 REGISTRY_GC_INTERVAL=1s REGISTRY_GC_DELAY=1h REGISTRY_GC_DELETEUNTAGGED=true \
    REGISTRY_GC_DUTYCYCLE="${REGISTRY_GC_DUTYCYCLE:-25}" \
    ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Logging__LogLevel__RegistryCloud.BlobService.Gc=Information \
    dotnet "$root/BlobService/bin/Release/net10.0/RegistryCloud.BlobService.dll" >"$2" 2>&1 &
  blob_pid=$!
  local probe="http://127.0.0.1:$port/v2/probe/blobs/sha256:$(printf '0%.0s' $(seq 1 64))" code=""
  for _ in $(seq 1 150); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$probe" || true)
    [ "$code" = 404 ] && return 0
    kill -0 "$blob_pid" 2>/dev/null || break
    sleep 0.2
  done
  cat "$2"; echo "gc.sh: BlobService did not answer on port $port" >&2; exit 1
}

echo
echo "| round | collector | small blobs/s | collections completed during the pushes |"
echo "|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  for gc in false true; do
    log="$work/blobservice-$round-$gc.log"
    start_blobservice "$gc" "$log"
    if [ "$gc" = true ]; then
      # Let the first collection start before measuring.
      for _ in $(seq 1 50); do grep -q 'Garbage collection every' "$log" && break; sleep 0.1; done
    fi
    before=$(grep -c 'Garbage collection (dry run' "$log" || true)
    "${bench[@]}" --url "http://127.0.0.1:$port" --label "gc-$gc" --workloads small --small-count "$small" \
      --seed "$((round * 10 + ${#gc}))" --repo-prefix "gcbench" --json "$work/small-$round-$gc.json" >"$work/small-$round-$gc.out"
    after=$(grep -c 'Garbage collection (dry run' "$log" || true)
    if [ "$gc" = true ]; then
      # The run the pushes overlapped: wait for it to end, for its duration.
      for _ in $(seq 1 600); do grep -q 'Garbage collection (dry run' "$log" && break; sleep 0.5; done
    fi
    rate=$(grep -o '"throughput": *[0-9.]*' "$work/small-$round-$gc.json" | head -1 | grep -o '[0-9.]*$' | awk '{printf "%.0f", $1}')
    printf '| %d | %s | %s | %s |\n' "$round" "$([ "$gc" = true ] && echo running || echo off)" "$rate" "$([ "$gc" = true ] && echo $((after - before)) || echo -)"
    stop_blobservice
  done
done

echo
echo "| offline run | wall s | peak RSS MiB | summary |"
echo "|---|---|---|---|"
read -r dry_s dry_kib <"$work/time.dry"
read -r real_s real_kib <"$work/time.real"
printf '| dry run | %s | %d | %s |\n' "$dry_s" $((dry_kib >> 10)) "$(summary "$work/gc-dry.out")"
printf '| real run | %s | %d | %s |\n' "$real_s" $((real_kib >> 10)) "$(summary "$work/gc-real.out")"
echo
echo "online collections the pushes overlapped, from the logs:"
grep -h 'Garbage collection (dry run' "$work"/blobservice-*-true.log | sed 's/^ *//' | cut -c1-120
