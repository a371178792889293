#!/usr/bin/env bash
# The pull-through cache's data path, measured: BlobService alone (Release, filesystem storage,
# no gateway or Redis, as bench/memory.sh runs it) with `proxies: [{prefix: hub}]` mirroring a
# Distribution 2.8.2 (`docker-registry serve`, filesystem) on loopback. Every round pushes a new
# blob of --size random bytes to Distribution as library/bench, then times with curl:
#   direct   GET from Distribution itself (what the cache competes with)
#   cold     GET hub/bench/blobs/<digest> from BlobService: fetched upstream, stored, hashed, streamed
#   warm     the same GET again: served from BlobService's storage
#   ordinary GET of a blob of the same size pushed to BlobService (team/bench): the warm reference
# and prints the medians of curl's average download speed (MiB/s), the ratios, and the CPU seconds
# BlobService and Distribution spent on each GET (utime + stime from /proc/PID/stat).
#   bench/proxy.sh [--size 256M] [--rounds 3] [--no-build]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
size=256M
rounds=3
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --no-build) build=0 ;;
    *) echo "proxy.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d /tmp/registry-proxy.XXXXXX)
blob_pid=""; dist_pid=""
cleanup() {
  for p in $blob_pid $dist_pid; do
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$build" = 1 ]; then
  dotnet build -c Release "$root/BlobService/BlobService.csproj" -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
fi

free_port() {
  local port=$(( 20000 + RANDOM % 20000 ))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( 20000 + RANDOM % 20000 )); done
  echo "$port"
}
wait_for() { # URL PID LOG
  for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3"; echo "proxy.sh: $3 ended" >&2; exit 1; }
    sleep 0.2
  done
  cat "$3"; echo "proxy.sh: nothing answered $1" >&2; exit 1
}

dist_port=$(free_port)
mkdir -p "$work/upstream" "$work/cache"
printf 'version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
  "$work/upstream" "$dist_port" >"$work/distribution.yml"
/usr/bin/docker-registry serve "$work/distribution.yml" >"$work/distribution.log" 2>&1 &
dist_pid=$!
wait_for "http://127.0.0.1:$dist_port/v2/" "$dist_pid" "$work/distribution.log"

port=$(free_port)
printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nproxies:\n  - prefix: hub\n    remoteurl: http://127.0.0.1:%s\n    library: true\n' \
  "$work/cache" "$dist_port" >"$work/config.yml"
REGISTRYCLOUD_HTTP_PORT=$port REGISTRY_CONFIGURATION_PATH="$work/config.yml" \
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  dotnet "$root/BlobService/bin/Release/net10.0/RegistryCloud.BlobService.dll" >"$work/blobservice.log" 2>&1 &
blob_pid=$!
for _ in $(seq 1 150); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/x/blobs/sha256:$(printf '0%.0s' $(seq 1 64))" || true)" = 404 ] && break
  kill -0 "$blob_pid" 2>/dev/null || { cat "$work/blobservice.log"; exit 1; }
  sleep 0.2
done

push_distribution() { # FILE DIGEST
  local location
  location=$(curl -sf -X POST -D - -o /dev/null "http://127.0.0.1:$dist_port/v2/library/bench/blobs/uploads/" | tr -d '\r' | awk -F': ' 'tolower($1) == "location" {print $2}')
  case "$location" in http*) ;; *) location="http://127.0.0.1:$dist_port$location" ;; esac
  curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$1" "$location&digest=$2" -o /dev/null
}
speed() { # URL -> MiB/s
  curl -sf -o /dev/null -w '%{speed_download}' "$1" | awk '{printf "%.0f\n", $1 / 1048576}'
}
ticks() { # PID -> utime + stime in clock ticks (fields 14 and 15 of /proc/PID/stat)
  awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat"
}
hz=$(getconf CLK_TCK)
timed() { # NAME URL: appends MiB/s to $work/NAME and the servers' CPU seconds to $work/NAME.cpu
  local b0 d0
  b0=$(ticks "$blob_pid"); d0=$(ticks "$dist_pid")
  speed "$2" >>"$work/$1"
  awk -v b="$(( $(ticks "$blob_pid") - b0 ))" -v d="$(( $(ticks "$dist_pid") - d0 ))" -v hz="$hz" \
    'BEGIN {printf "%.2f %.2f\n", b / hz, d / hz}' >>"$work/$1.cpu"
}
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

: >"$work/direct"; : >"$work/cold"; : >"$work/warm"; : >"$work/ordinary"
: >"$work/direct.cpu"; : >"$work/cold.cpu"; : >"$work/warm.cpu"; : >"$work/ordinary.cpu"
for round in $(seq 1 "$rounds"); do
  head -c "$size" /dev/urandom >"$work/blob"
  digest="sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)"
  push_distribution "$work/blob" "$digest"
  timed direct "http://127.0.0.1:$dist_port/v2/library/bench/blobs/$digest"
  timed cold "http://127.0.0.1:$port/v2/hub/bench/blobs/$digest"
  timed warm "http://127.0.0.1:$port/v2/hub/bench/blobs/$digest"
  head -c "$size" /dev/urandom >"$work/own"
  own="sha256:$(sha256sum "$work/own" | cut -d' ' -f1)"
  curl -sf -X POST -H 'Content-Type: application/octet-stream' --data-binary "@$work/own" "http://127.0.0.1:$port/v2/team/bench/blobs/uploads/?digest=$own" -o /dev/null
  timed ordinary "http://127.0.0.1:$port/v2/team/bench/blobs/$own"
  cached=$(find "$work/cache" -path "*/${digest#sha256:}/data" -printf '%s')
  echo "round $round: direct $(tail -1 "$work/direct"), cold $(tail -1 "$work/cold"), warm $(tail -1 "$work/warm"), ordinary $(tail -1 "$work/ordinary") MiB/s; cached ${cached:-0} bytes"
  echo "  CPU s (BlobService Distribution): direct $(tail -1 "$work/direct.cpu"), cold $(tail -1 "$work/cold.cpu"), warm $(tail -1 "$work/warm.cpu"), ordinary $(tail -1 "$work/ordinary.cpu")"
  rm -f "$work/upstream/docker/registry/v2/blobs/sha256/"*/*/data
done

d=$(median <"$work/direct"); c=$(median <"$work/cold"); w=$(median <"$work/warm"); o=$(median <"$work/ordinary")
echo
cpu() { awk '{print $1 + $2}' "$work/$1.cpu" | median; } # BlobService + Distribution, median
echo "| $size blob, median of $rounds | MiB/s | ratio | server CPU s |"
echo "|---|---|---|---|"
echo "| direct from Distribution | $d | | $(cpu direct) |"
echo "| cold, through the cache | $c | $(awk -v a="$c" -v b="$d" 'BEGIN {printf "%.2fx direct", a / b}') | $(cpu cold) |"
echo "| warm, from the cache | $w | $(awk -v a="$w" -v b="$o" 'BEGIN {printf "%.2fx ordinary", a / b}') | $(cpu warm) |"
echo "| ordinary pushed blob | $o | | $(cpu ordinary) |"
