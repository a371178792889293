#!/usr/bin/env bash
# Measures RegistryCloud (through its gateway, as users reach it) against CNCF Distribution 2.8.2
# (the Debian package docker-registry, filesystem storage) on this machine, in one run: both on
# loopback, every workload run against each in alternation, then one table of both figures and
# their ratio, the peak memory and CPU seconds of each server process per workload (every
# RegistryCloud service, redis-server, and the AppHost's whole process tree at idle), and the machine's own limits
# (SHA-256, disk write, loopback) measured in the same run. Everything it starts it stops.
#
#   bench/compare.sh --quick            small sizes, 2 rounds (a few minutes)
#   bench/compare.sh --full             the issue's sizes (512 MiB blob, ...), 3 rounds
#   options: --rounds N  --warmup N (uncounted rounds first, default 3)  --out DIR  --no-build
#            --keep (keep the registries' data)
#            --workloads push,pull,small,reads,tags,image   -- <extra RegistryCloud.Bench options>
#            --dashboard  (also run the Aspire dashboard, with every service exporting telemetry to it)
#            --storage filesystem|s3|azure  (default filesystem; see below)  --redirect on|off (default on)
#            --listings  (after the rounds, tag and catalog listings at 10,000 then 100,000 repositories; see below)
#            --pull-cpu N  (instead of the workloads: N curl pulls of a 512 MiB blob from each, with
#                          each server process's CPU seconds per pull; bench/pull-cpu.sh)
#
# With --storage s3 the script starts one S3 server on loopback (s3rver, the pinned npm package of
# tests/servers, with the conditional writes and UploadPartCopy its launcher adds, as AWS has) and
# points both registries at it, each with its own bucket, through their s3 drivers. With
# --storage azure it starts Azurite and measures RegistryCloud alone: Debian's docker-registry is
# built without Distribution's azure driver (its changelog: "Disable azure support"). --redirect
# off sets storage.redirect.disable for both, so blob GETs stream through the registry instead of
# answering 307 to a presigned URL (both registries redirect by default on object storage).
#
# With --listings (filesystem only), after the measured rounds both storage roots are seeded with
# the same layout by `RegistryCloud.Bench listings-layout` (10,000 repositories and repositories of
# 1,000 and 100,000 tags, written as files: pushing them would take far longer than the listings),
# the `listings` workload runs against each (round 1), the roots grow to 100,000 repositories and it
# runs again (round 2). The registries keep running meanwhile; the seeder removes RegistryCloud's
# catalog stamp as any writer behind its back must, so its indexes are rebuilt from the layout.
#
# Both registries get the same settings: log level error, access log off, deletes on. RegistryCloud
# runs under its AppHost without the Aspire dashboard (RegistryCloud:Dashboard=false), as it runs
# in a deployment: the dashboard is a development tool, and on a 2-core machine receiving every
# span and log line of the run costs as much CPU as a service.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mode=quick
rounds=""
warmups=3
out=""
build=1
keep=0
workloads="push,pull,small,reads,tags,image"
dashboard=false
storage=filesystem
redirect=on
listings=0
pull_cpu=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --rounds) rounds=$2; shift ;;
    --warmup) warmups=$2; shift ;;
    --out) out=$2; shift ;;
    --no-build) build=0 ;;
    --keep) keep=1 ;;
    --workloads) workloads=$2; shift ;;
    --dashboard) dashboard=true ;;
    --storage) storage=$2; shift ;;
    --redirect) redirect=$2; shift ;;
    --listings) listings=1 ;;
    --pull-cpu) pull_cpu=$2; shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "compare.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

case "$storage" in filesystem|s3|azure) ;; *) echo "compare.sh: --storage takes filesystem, s3 or azure, not '$storage'" >&2; exit 2 ;; esac
case "$redirect" in on|off) ;; *) echo "compare.sh: --redirect takes on or off, not '$redirect'" >&2; exit 2 ;; esac
case "$pull_cpu" in ''|*[!0-9]*) echo "compare.sh: --pull-cpu takes a number of pulls, not '$pull_cpu'" >&2; exit 2 ;; esac
# Distribution runs unless the storage is one Debian's build has no driver for.
with_dist=1; [ "$storage" = azure ] && with_dist=0

quick_sizes=(--blob-size 64M --chunk-size 8M --pull-repeat 3 --small-count 500 --small-size 4K
             --reads-seconds 3 --manifests 200 --tags 1000 --page-size 100 --list-repeat 5
             --layers 10 --layer-min 256K --layer-max 16M --parallel 3 --concurrency 16)
if [ "$mode" = full ]; then
  sizes=(--blob-size 512M --chunk-size 8M --pull-repeat 3 --small-count 2000 --small-size 4K
         --reads-seconds 10 --manifests 200 --tags 1000 --page-size 100 --list-repeat 5
         --layers 10 --layer-min 1M --layer-max 64M --parallel 3 --concurrency 16)
  limits_size=1G; dd_mib=1024; rounds=${rounds:-3}
else
  sizes=("${quick_sizes[@]}")
  limits_size=256M; dd_mib=256; rounds=${rounds:-2}
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPIRE_ALLOW_UNSECURED_TRANSPORT=true

if ! command -v docker-registry >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
  else
    echo "compare.sh: needs docker-registry (apt-get install docker-registry)" >&2; exit 2
  fi
fi

work=$(mktemp -d /tmp/registry-bench.XXXXXX)
out=${out:-/tmp/registry-bench-results-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out" "$work/results" "$work/distribution" "$work/registrycloud"
dist_pid=""; rc_pid=""; rc_tree=(); sampler_pid=""; storage_pid=""; stopped=0

# Every process of the AppHost: the AppHost itself, the DCP it starts (which detaches and names
# the AppHost in --monitor), and all their descendants: the services, redis-server, monitors.
rc_processes() {
  local seeds=("$rc_pid") all=() p
  seeds+=($(pgrep -f -- "dcp start-apiserver --monitor $rc_pid( |$)" || true))
  while [ ${#seeds[@]} -gt 0 ]; do
    p=${seeds[0]}; seeds=("${seeds[@]:1}")
    [ -d "/proc/$p" ] || continue
    all+=("$p")
    seeds+=($(pgrep -P "$p" || true))
  done
  echo "${all[@]:-}"
}

. "$root/bench/processes.sh"

cleanup() {
  set +e
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
  if [ -n "$rc_pid" ]; then
    [ ${#rc_tree[@]} -eq 0 ] && rc_tree=($(rc_processes))
    kill -TERM "$rc_pid" 2>/dev/null
    for _ in $(seq 1 40); do alive "${rc_tree[@]}" || break; sleep 0.5; done
    for p in "${rc_tree[@]}"; do kill -KILL "$p" 2>/dev/null; done
  fi
  if [ -n "$dist_pid" ]; then
    kill -TERM "$dist_pid" 2>/dev/null
    for _ in $(seq 1 20); do alive "$dist_pid" || break; sleep 0.25; done
    kill -KILL "$dist_pid" 2>/dev/null
  fi
  if [ -n "$storage_pid" ]; then
    kill -TERM "$storage_pid" 2>/dev/null
    for _ in $(seq 1 20); do alive "$storage_pid" || break; sleep 0.25; done
    kill -KILL "$storage_pid" 2>/dev/null
  fi
  [ -n "$out" ] && [ -d "$out" ] && cp "$work"/*.log "$out/" 2>/dev/null
  if [ "$keep" = 1 ]; then echo "data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_up() { # url seconds
  for _ in $(seq 1 "$2"); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1/v2/")" = 200 ] && return 0
    sleep 1
  done
  echo "compare.sh: $1 did not answer /v2/ within $2 s" >&2; return 1
}

bench="$root/bench/RegistryBench/bin/Release/net10.0/RegistryCloud.Bench"
apphost="$root/AppHost/bin/Release/net10.0/RegistryCloud.AppHost"
if [ "$build" = 1 ]; then
  echo "building the bench and the AppHost (Release)"
  dotnet build -c Release "$root/bench/RegistryBench" -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  dotnet build -c Release "$root/AppHost" -v q -nologo >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
fi

# ---- the machine -----------------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "mode: $mode, rounds: $rounds, sizes: ${sizes[*]}"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc: $(nproc)"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
  echo "disk of the data directories: $(df -h "$work" | awk 'NR==2 {print $1 " (" $2 ", " $4 " free)"}')"
  echo "distribution: $(dpkg-query -W -f='${Version}' docker-registry 2>/dev/null || docker-registry --version)"
  echo "registrycloud: $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet 2>/dev/null || echo ' + uncommitted changes')"
  echo "settings (both): log level error, access log off, deletes on; RegistryCloud's Aspire dashboard: $dashboard"
  echo "storage: $storage$([ "$storage" = filesystem ] || echo ", redirect $redirect")$([ "$with_dist" = 1 ] || echo "; Distribution not run (Debian's build has no $storage driver)")"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

echo "measuring the machine's limits"
sha_openssl=$(openssl speed -evp sha256 -seconds 2 -bytes 1048576 2>/dev/null | awk '/^sha256/ {v=$NF; sub(/k$/, "", v); printf "%.0f", v * 1000 / 1048576}')
dd_line=$(dd if=/dev/zero of="$work/dd.tmp" bs=1M count="$dd_mib" conv=fdatasync 2>&1 | tail -1); rm -f "$work/dd.tmp"
dd_mibs=$(echo "$dd_line" | awk -v n="$dd_mib" '{for (i = 1; i <= NF; i++) if ($i == "s,") printf "%.0f", n / $(i-1)}')
"$bench" --workloads limits --label machine --limits-size "$limits_size" --json "$work/results/machine.json" >/dev/null
{
  echo "| machine limit (shell, same run) | MiB/s |"
  echo "| ------------------------------- | ----- |"
  echo "| sha256 (openssl speed -evp sha256, 1 MiB blocks, 1 core) | ${sha_openssl:-?} |"
  echo "| disk write (dd bs=1M count=$dd_mib conv=fdatasync, data dir) | ${dd_mibs:-?} |"
} | tee "$out/limits-shell.md"

# ---- the storage server -----------------------------------------------------------------------
# One server for both registries, each in its own bucket (container).
. "$root/bench/storage-server.sh"
store_port=""
if [ "$storage" != filesystem ]; then
  store_port=$(free_port 5701)
  start_storage_server "$storage" "$store_port" distribution registrycloud >"$work/storage.txt"
  echo "$(cat "$work/storage.txt"), redirect $redirect" | tee -a "$out/machine.txt"
fi

# ---- the registries ----------------------------------------------------------------------------
# One set of settings for both registries, each with its own storage.
settings() { # NAME ROOT
  cat <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
$(storage_section "$storage" "$1" "$store_port" "$2")
  delete:
    enabled: true
EOF
  [ "$storage" = filesystem ] || printf '  redirect:\n    disable: %s\n' "$([ "$redirect" = off ] && echo true || echo false)"
}

dist_port=$(free_port 5601)
if [ "$with_dist" = 1 ]; then
  { settings distribution "$work/distribution"; printf 'http:\n  addr: 127.0.0.1:%s\n' "$dist_port"; } >"$work/distribution.yml"
  # Without AWS_CA_BUNDLE: Distribution 2.8.2's s3 driver cannot apply a CA bundle to its own HTTP
  # transport and panics at start when the variable is set ("unable to load custom CA bundle");
  # the S3 server here is plain HTTP on loopback.
  env -u AWS_CA_BUNDLE docker-registry serve "$work/distribution.yml" >"$work/distribution.log" 2>&1 &
  dist_pid=$!
  wait_up "http://127.0.0.1:$dist_port" 30
fi

# RegistryCloud's port and data directory are the AppHost's own settings (below).
settings registrycloud "$work/registrycloud/storage" | registrycloud_s3_keys >"$work/registrycloud.yml"

rc_port=$(free_port $((dist_port + 1)))
dash_port=$(free_port $((rc_port + 1))); otlp_port=$(free_port $((dash_port + 1))); res_port=$(free_port $((otlp_port + 1)))
echo "starting$([ "$with_dist" = 1 ] && echo " Distribution on 127.0.0.1:$dist_port and") RegistryCloud on 127.0.0.1:$rc_port"
ASPNETCORE_URLS="http://127.0.0.1:$dash_port" DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development \
ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$otlp_port" ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://127.0.0.1:$res_port" \
  "$apphost" --RegistryCloud:GatewayPort="$rc_port" --RegistryCloud:DataDirectory="$work/registrycloud" \
  --RegistryCloud:Dashboard="$dashboard" --config "$work/registrycloud.yml" >"$work/registrycloud.log" 2>&1 &
rc_pid=$!
wait_up "http://127.0.0.1:$rc_port" 120 || { tail -30 "$work/registrycloud.log"; exit 1; }
sleep 2
rc_tree=($(rc_processes))
find_comm() { # the AppHost process whose name is $1 (truncated to 15 characters by the kernel)
  local p
  for p in "${rc_tree[@]}"; do
    if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$1" ]; then echo "$p"; return 0; fi
  done
  echo "compare.sh: no $1 process under the AppHost" >&2; return 1
}
blob_pid=$(find_comm RegistryCloud.B); gw_pid=$(find_comm RegistryCloud.G); ms_pid=$(find_comm RegistryCloud.M)
ns_pid=$(find_comm RegistryCloud.N)
# Redis is the AppHost's own redis-server unless redis-server is not installed (then none runs).
redis_pid=$(find_comm redis-server 2>/dev/null || true)
rc_watched=("$blob_pid" "$gw_pid" "$ms_pid" "$ns_pid" $redis_pid)

# The whole app at idle, before any workload: every process of the AppHost's tree (the AppHost,
# DCP and its monitors, the services, Redis), as bench/idle-memory.sh counts it.
{
  echo "| idle RSS MiB (before the first workload) | processes | RSS MiB |"
  echo "| --- | --- | --- |"
  for p in "${rc_tree[@]}"; do
    printf '%s %s\n' "$(cat "/proc/$p/comm" 2>/dev/null)" "$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)"
  done | awk '{n[$1]++; s[$1] += $2; t += $2; c++} END {for (k in n) printf "| %s | %d | %.0f |\n", k, n[k], s[k] / 1024; printf "| whole tree | %d | %.0f |\n", c, t / 1024}' | sort
} >"$out/idle.md"

# Peak resident memory of each watched process while one workload runs (VmRSS every 0.2 s).
sample_rss() {
  while :; do
    for p in "$@"; do
      while read -r key value _; do [ "$key" = VmRSS: ] && echo "$p $value"; done <"/proc/$p/status" 2>/dev/null || true
    done
    sleep 0.2
  done
}

# CPU time (user + system, in clock ticks) a process has used so far: fields 14 and 15 of its stat,
# counted after the command name, which may hold spaces.
cpu_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }
  set -- $stat
  echo $(( ${12} + ${13} ))
}

run_one() { # label url round workload pids...
  local label=$1 url=$2 round=$3 workload=$4; shift 4
  local p down="" status
  for p in "$@" $storage_pid; do alive "$p" || down="$down $p"; done
  status=$(curl -s -o /dev/null -w '%{http_code}' "$url/v2/")
  if [ -n "$down" ] || [ "$status" != 200 ]; then
    echo "compare.sh: $label stopped answering (GET /v2/: $status; exited:${down:- none}) before $workload in round $round;" \
      "its log is in $out; the table below has only the rounds before" >&2
    stopped=1; return 1
  fi
  # The machine is shared: the 1-minute load average as each run starts goes with the figures.
  echo "$label $workload $round $(cut -d' ' -f1 /proc/loadavg)" >>"$out/load.tsv"
  local before=() i=0
  for p in "$@"; do before+=("$(cpu_ticks "$p")"); done
  sample_rss "$@" >"$work/rss.samples" & sampler_pid=$!
  "$bench" --url "$url" --label "$label" --round "$round" --seed "$round" --workloads "$workload" "${run_sizes[@]}" "${extra[@]}" \
    --json "$work/results/$label-$round-$workload.json" >>"$out/bench.log" 2>&1 \
    || echo "  $label $workload round $round reported errors (see $out/bench.log)"
  kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
  local name peak
  for p in "$@"; do
    name=$(cat "/proc/$p/comm" 2>/dev/null || echo "$p")
    peak=$(awk -v p="$p" '$1 == p && $2 > m {m = $2} END {print m + 0}' "$work/rss.samples")
    echo "$label $workload $round $name $peak" >>"$out/rss.tsv"
    echo "$label $workload $round $name $(( $(cpu_ticks "$p") - ${before[$i]} ))" >>"$out/cpu.tsv"
    i=$((i + 1))
  done
}

run_dist() { run_one distribution "http://127.0.0.1:$dist_port" "$1" "$2" "$dist_pid"; }
run_rc() { run_one registrycloud "http://127.0.0.1:$rc_port" "$1" "$2" "${rc_watched[@]}"; }
run_pair() { # round workload distribution-first|registrycloud-first
  if [ "$with_dist" = 0 ]; then
    run_rc "$1" "$2"
  elif [ "$3" = distribution-first ]; then
    run_dist "$1" "$2" && run_rc "$1" "$2"
  else
    run_rc "$1" "$2" && run_dist "$1" "$2"
  fi
}

if [ "$pull_cpu" -gt 0 ]; then
  . "$root/bench/pull-cpu.sh"
  pull_cpu_probe "$pull_cpu" | tee "$out/pull-cpu.md"
  echo "results: $out"
  exit 0
fi

# Uncounted rounds first, at the quick sizes, warm both up (JIT tiering, connection pools,
# caches): the measured rounds are the steady state a long-running registry is in. One was not
# enough: with DOTNET_JitDisasmSummary the gateway still compiled 2,097 methods during its second
# tags run after a start, 702 in the third and 125 in the fourth (JIT was 27-31% of the gateway's,
# BlobService's and ManifestService's samples in a second run). Distribution gets the same rounds.
: >"$out/rss.tsv"
run_sizes=("${quick_sizes[@]}")
for warmup in $(seq 1 "$warmups"); do
  warmup_round=$((990 + warmup)) # its own content and repositories (the seed follows the round)
  for workload in ${workloads//,/ }; do
    echo "warm-up $warmup/$warmups (not counted): $workload"
    run_pair "$warmup_round" "$workload" distribution-first || break 2
  done
  rm -f "$work"/results/*-"$warmup_round"-*.json
done
: >"$out/rss.tsv"; : >"$out/load.tsv"; : >"$out/cpu.tsv"
run_sizes=("${sizes[@]}")
for round in $(seq 1 "$rounds"); do
  for workload in ${workloads//,/ }; do
    echo "round $round/$rounds: $workload"
    run_pair "$round" "$workload" "$([ $((round % 2)) = 1 ] && echo distribution-first || echo registrycloud-first)" || break 2
  done
done
if [ "$stopped" = 1 ]; then
  # Keep only complete pairs: drop the results of the round that was cut short.
  rm -f "$work"/results/*-"$round"-*.json
fi

if [ "$listings" = 1 ] && [ "$stopped" = 0 ] && [ "$storage" = filesystem ]; then
  from=0; tag_repos=(--tags 1000,100000); listing_round=0
  for size in 10000 100000; do
    listing_round=$((listing_round + 1))
    echo "listings: seeding both roots up to $size repositories"
    for target in "$work/distribution" "$work/registrycloud/storage"; do
      "$bench" listings-layout --root "$target" --repos "$size" --from "$from" "${tag_repos[@]}" >>"$out/bench.log"
    done
    from=$size; tag_repos=()
    run_sizes=(--page-size 100 --list-repeat 5 --catalog-size "$size" --listing-tags 1000,100000)
    echo "listings at $size repositories"
    run_pair "$listing_round" listings distribution-first || break
  done
fi

# ---- the table -----------------------------------------------------------------------------------
cp "$work"/results/*.json "$out/"
echo
cat "$out/machine.txt"
echo
"$bench" compare --baseline distribution --candidate registrycloud --out "$out/comparison.md" "$work"/results/*.json
cat "$out/limits-shell.md"
echo
{
  echo "| peak RSS MiB (max over rounds) | process | $(echo "${workloads//,/ | }") |"
  echo "| --- | --- |$(for _ in ${workloads//,/ }; do printf ' --- |'; done)"
  awk -v list="$workloads" '
    { key = $1 "|" $4; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
      if ($5 > peak[key "|" $2]) peak[key "|" $2] = $5 }
    END { split(list, w, ",")
      for (i = 1; i <= n; i++) { split(order[i], k, "|"); line = "| " k[1] " | " k[2] " |"
        for (j = 1; j in w; j++) line = line sprintf(" %.0f |", peak[order[i] "|" w[j]] / 1024)
        print line } }' "$out/rss.tsv"
} | tee "$out/memory.md"
echo
{ echo; cat "$out/idle.md"; } | tee -a "$out/memory.md"
# CPU seconds each server process used per measured run of a workload (mean over rounds), and each
# registry's total: what serving the workload cost, whatever else the machine was doing.
{
  echo "| CPU seconds per run (mean over rounds) | process | $(echo "${workloads//,/ | }") |"
  echo "| --- | --- |$(for _ in ${workloads//,/ }; do printf ' --- |'; done)"
  awk -v list="$workloads" -v hz="$(getconf CLK_TCK)" '
    { key = $1 "|" $4; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
      sum[key "|" $2] += $5; runs[key "|" $2]++
      total[$1 "|" $2 "|" $3] += $5; if (!(($1 "|" $2 "|" $3) in tseen)) { tseen[$1 "|" $2 "|" $3] = 1; tr[$1 "|" $2]++ }
      if (!($1 in lseen)) { lseen[$1] = 1; labels[++m] = $1 } }
    END { split(list, w, ",")
      for (i = 1; i <= n; i++) { split(order[i], k, "|"); line = "| " k[1] " | " k[2] " |"
        for (j = 1; j in w; j++) { c = order[i] "|" w[j]; line = line (runs[c] ? sprintf(" %.2f |", sum[c] / runs[c] / hz) : " |") }
        print line }
      for (i = 1; i <= m; i++) { line = "| " labels[i] " | all |"
        for (j = 1; j in w; j++) { t = 0; r = 0
          for (c in total) { split(c, q, "|"); if (q[1] == labels[i] && q[2] == w[j]) { t += total[c]; r++ } }
          line = line (r ? sprintf(" %.2f |", t / r / hz) : " |") }
        print line } }' "$out/cpu.tsv"
} | tee "$out/cpu.md"
awk 'NR == 1 || $4 < min {min = $4} $4 > max {max = $4} {sum += $4} END {if (NR) printf "load average (1 min) as the measured runs started: %.1f to %.1f, mean %.1f, on %d cores\n", min, max, sum / NR, cores}' \
  cores="$(nproc)" "$out/load.tsv" | tee "$out/load.md"
echo
echo "results: $out"
exit "$stopped"
