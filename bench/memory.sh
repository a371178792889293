#!/usr/bin/env bash
# Memory of BlobService flat in blob size (issue 3: a 4 GiB push under 300 MiB RSS). Starts
# BlobService alone on loopback (filesystem storage in a temporary directory, no gateway, no
# Redis), pushes one blob monolithically (POST, then PUT with the body) with RegistryCloud.Bench,
# its bytes generated while they are sent, and samples BlobService's resident memory every
# 0.2 s. Prints the RSS before the push, the peak during it, the process's VmHWM (peak RSS over
# its whole life) and the push's MiB/s. Everything it starts it stops; the data is deleted.
# A benchmark, not a test: it reports figures and fails only when the push fails.
#
#   bench/memory.sh                  a 4 GiB push
#   options: --size SIZE (K/M/G, default 4G)  --no-build  --keep (keep the data directory)
#            --storage filesystem|s3|azure (default filesystem): s3 and azure start s3rver or Azurite
#            on loopback (bench/storage-server.sh) and give BlobService its s3 or azure driver
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
size=4G
build=1
keep=0
storage=filesystem
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift ;;
    --no-build) build=0 ;;
    --keep) keep=1 ;;
    --storage) storage=$2; shift ;;
    *) echo "memory.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

bytes() { # SIZE with an optional K, M or G suffix (powers of 1024)
  local n=${1%[KkMmGg]} unit=${1: -1}
  case "$unit" in
    K|k) echo $((n << 10)) ;; M|m) echo $((n << 20)) ;; G|g) echo $((n << 30)) ;; *) echo "$1" ;;
  esac
}
size_bytes=$(bytes "$size")
case "$storage" in filesystem|s3|azure) ;; *) echo "memory.sh: --storage takes filesystem, s3 or azure, not '$storage'" >&2; exit 2 ;; esac
# On disk: one copy of the blob on the filesystem (written in _uploads, then renamed); on an
# emulator, the upload's parts, the object they make, and the blob copied from it.
copies=$([ "$storage" = filesystem ] && echo 1 || echo 3)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d /tmp/registry-memory.XXXXXX)
# The blob lands once in _uploads and is then renamed into blobs/: one copy, plus slack.
free_kib=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
if [ $((free_kib * 1024)) -lt $((copies * size_bytes + (1 << 30))) ]; then
  echo "memory.sh: $work has $((free_kib >> 10)) MiB free; a $size push needs $(( (copies * size_bytes >> 20) + 1024 )) MiB" >&2
  rmdir "$work"; exit 2
fi

blob_pid=""; sampler_pid=""; storage_pid=""
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  for p in $blob_pid $storage_pid; do
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$p" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ "$build" = 1 ]; then
  dotnet build -c Release "$root/BlobService/BlobService.csproj" -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  dotnet build -c Release "$root/bench/RegistryBench" -v q -nologo >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
fi

# A loopback port nothing answers on.
free_port() {
  local port=$(( 20000 + RANDOM % 20000 ))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( 20000 + RANDOM % 20000 )); done
  echo "$port"
}
port=$(free_port)

mkdir -p "$work/root"
. "$root/bench/storage-server.sh"
store_port=""
if [ "$storage" != filesystem ]; then
  store_port=$(free_port)
  start_storage_server "$storage" "$store_port" registry
fi
{ printf 'version: 0.1\nstorage:\n'; storage_section "$storage" registry "$store_port" "$work/root"; } | registrycloud_s3_keys >"$work/config.yml"

# `dotnet app.dll` runs the app in the dotnet process itself, so $! is BlobService.
REGISTRYCLOUD_HTTP_PORT=$port REGISTRY_CONFIGURATION_PATH="$work/config.yml" \
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  dotnet "$root/BlobService/bin/Release/net10.0/RegistryCloud.BlobService.dll" >"$work/blobservice.log" 2>&1 &
blob_pid=$!

probe="http://127.0.0.1:$port/v2/memory/blobs/sha256:$(printf '0%.0s' $(seq 1 64))"
for _ in $(seq 1 150); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$probe" || true)
  [ "$code" = 404 ] && break
  kill -0 "$blob_pid" 2>/dev/null || { cat "$work/blobservice.log"; echo "memory.sh: BlobService exited" >&2; exit 1; }
  sleep 0.2
done
[ "$code" = 404 ] || { cat "$work/blobservice.log"; echo "memory.sh: BlobService did not answer on port $port" >&2; exit 1; }

kib() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$blob_pid/status"; }
before=$(kib VmRSS)
( while kill -0 "$blob_pid" 2>/dev/null; do kib VmRSS; sleep 0.2; done ) >"$work/rss.samples" 2>/dev/null &
sampler_pid=$!

status=0
dotnet "$root/bench/RegistryBench/bin/Release/net10.0/RegistryCloud.Bench.dll" \
  --url "http://127.0.0.1:$port" --label blobservice --workloads monolithic --blob-size "$size" \
  --repo-prefix "memory$$" --json "$work/result.json" || status=$?

kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
hwm=$(kib VmHWM)
peak=$(awk 'NR == 1 || $1 > m {m = $1} END {print m + 0}' "$work/rss.samples")
# The blob's data file (s3rver keeps an object as "<name>._S3rver_object"; Azurite keeps blocks in extents).
stored=$(find "$work" -path '*/blobs/*' -name 'data*' -size +0 -printf '%s\n' | sort -n | tail -1)
mibs=$(grep -o '"throughput": *[0-9.]*' "$work/result.json" 2>/dev/null | head -1 | grep -o '[0-9.]*$' | awk '{printf "%.0f", $1}' || echo "?")

echo
echo "storage: $storage"
echo "| blob | stored bytes | MiB/s | RSS before push MiB | peak RSS during push MiB | VmHWM MiB |"
echo "|---|---|---|---|---|---|"
printf '| %s | %s | %s | %d | %d | %d |\n' "$size" "${stored:-?}" "$mibs" $((before >> 10)) $((peak >> 10)) $((hwm >> 10))
exit "$status"
