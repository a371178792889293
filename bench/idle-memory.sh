#!/usr/bin/env bash
# Resident memory of the whole local registry at idle (issue 21, "Cost"). Starts the AppHost as the
# README does (`dotnet run -c Release --project AppHost`, without the dashboard), on a free port
# with a temporary data directory, waits until the gateway answers and every service has settled,
# then sums VmRSS over every process of the app, by kind: the AppHost, the `dotnet run` processes
# (the README's own, and any that wrap a service), DCP (its API server, controllers and the
# per-resource monitors), each service, redis-server and anything else. Everything it starts it
# stops; the data is deleted. A benchmark, not a test: it reports figures.
#
#   bench/idle-memory.sh                 as the README starts it
#   options: --apphost   start the built AppHost (bin/Release) directly, as bench/compare.sh does
#            --settle S  seconds to wait after the gateway answers (default 20)
#            --replicas N  RegistryCloud:Replicas   --no-build   --tree (also print every process)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
direct=0; settle=20; replicas=1; build=1; tree=0
while [ $# -gt 0 ]; do
  case "$1" in
    --apphost) direct=1 ;;
    --settle) settle=$2; shift ;;
    --replicas) replicas=$2; shift ;;
    --no-build) build=0 ;;
    --tree) tree=1 ;;
    *) echo "idle-memory.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPIRE_ALLOW_UNSECURED_TRANSPORT=true

work=$(mktemp -d /tmp/registry-idle.XXXXXX)
pid=""; tree_pids=()

# Every process of the app: the one started here and its descendants, the DCP its AppHost starts
# (which detaches, and names the AppHost in --monitor) and that DCP's descendants. Only these: other
# registries may run on the same machine (other checkouts, benchmarks), and must not be counted or
# stopped.
descendants() {
  local seeds=("$@") all=() p
  while [ ${#seeds[@]} -gt 0 ]; do
    p=${seeds[0]}; seeds=("${seeds[@]:1}")
    [ -d "/proc/$p" ] || continue
    case " ${all[*]:-} " in *" $p "*) continue ;; esac
    all+=("$p")
    seeds+=($(pgrep -P "$p" || true))
  done
  echo "${all[@]:-}"
}
app_processes() {
  local mine apphost="" p
  mine=($(descendants "$pid"))
  for p in "${mine[@]}"; do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = RegistryCloud.A ] && apphost=$p
  done
  if [ -n "$apphost" ]; then
    descendants "${mine[@]}" $(pgrep -f -- "dcp start-apiserver --monitor $apphost( |\$)" || true)
  else
    echo "${mine[@]}"
  fi
}

. "$root/bench/processes.sh"

cleanup() {
  set +e
  if [ -n "$pid" ]; then
    [ ${#tree_pids[@]} -eq 0 ] && tree_pids=($(app_processes))
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 60); do alive "${tree_pids[@]}" || break; sleep 0.5; done
    for p in "${tree_pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$build" = 1 ]; then
  dotnet build -c Release "$root/AppHost" -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
fi

port=$(free_port 5801)
args=(--RegistryCloud:Dashboard=false --RegistryCloud:GatewayPort="$port" --RegistryCloud:DataDirectory="$work/data"
      --RegistryCloud:Replicas="$replicas")
if [ "$direct" = 1 ]; then
  "$root/AppHost/bin/Release/net10.0/RegistryCloud.AppHost" "${args[@]}" >"$work/apphost.log" 2>&1 &
else
  dotnet run -c Release --no-build --project "$root/AppHost" -- "${args[@]}" >"$work/apphost.log" 2>&1 &
fi
pid=$!

for _ in $(seq 1 180); do
  grep -q "RegistryCloud is ready" "$work/apphost.log" && break
  alive "$pid" || { cat "$work/apphost.log"; exit 1; }
  sleep 1
done
grep -q "RegistryCloud is ready" "$work/apphost.log" || { echo "idle-memory.sh: not ready within 180 s" >&2; tail -30 "$work/apphost.log"; exit 1; }
sleep "$settle"
tree_pids=($(app_processes))

# Kind of a process, from its name and command line.
kind() {
  local p=$1 comm cmd
  comm=$(cat "/proc/$p/comm" 2>/dev/null || true)
  cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null || true)
  case "$comm" in
    RegistryCloud.A) echo apphost ;;
    RegistryCloud.G) echo gateway ;;
    RegistryCloud.B) echo blobservice ;;
    RegistryCloud.M) echo manifestservice ;;
    RegistryCloud.N) echo notifierservice ;;
    redis-server) echo redis-server ;;
    dotnet)
      case "$cmd" in
        *" run "*RegistryCloud*|*" run "*AppHost*|*" run "*Service*|*" run "*Gateway*) echo "dotnet-run-wrapper" ;;
        *) echo "dotnet-other" ;;
      esac ;;
    dcp|dcpctrl|dcpproc)
      case "$cmd" in
        *monitor*process*|*monitor-process*) echo "dcp-monitor" ;;
        *) echo "dcp ($comm)" ;;
      esac ;;
    *) echo "other ($comm)" ;;
  esac
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
anon_kib() { awk '/^RssAnon:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Proportional set size: pages shared by several processes (the same binary's code, the runtime's
# libraries) counted once in all, where VmRSS counts them in every process.
pss_kib() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

: >"$work/rss.tsv"
for p in "${tree_pids[@]}"; do
  [ -d "/proc/$p" ] || continue
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(kind "$p")" "$p" "$(rss_kib "$p")" "$(anon_kib "$p")" "$(pss_kib "$p")" "$(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-150)" >>"$work/rss.tsv"
done

echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet 2>/dev/null || echo ' + uncommitted changes'), replicas $replicas, started $([ "$direct" = 1 ] && echo "as bin/Release/net10.0/RegistryCloud.AppHost" || echo "by dotnet run -c Release --project AppHost"), ${settle} s after ready, load average $(cut -d' ' -f1 /proc/loadavg)"
if [ "$tree" = 1 ]; then
  echo
  echo "| kind | pid | RSS MiB | anonymous MiB | PSS MiB | command |"
  echo "| --- | --- | --- | --- | --- | --- |"
  sort -t$'\t' -k1,1 -k3,3nr "$work/rss.tsv" | awk -F'\t' '{printf "| %s | %s | %.0f | %.0f | %.0f | `%s` |\n", $1, $2, $3 / 1024, $4 / 1024, $5 / 1024, $6}'
fi
echo
# VmRSS is what ps and the issue count; anonymous (heap, stacks) is each process's own; PSS shares
# the rest out, so its total is what the app costs the machine.
echo "| kind | processes | RSS MiB | anonymous MiB | PSS MiB |"
echo "| --- | --- | --- | --- | --- |"
awk -F'\t' '{n[$1]++; s[$1] += $3; a[$1] += $4; q[$1] += $5; t += $3; ta += $4; tq += $5; c++}
  END {for (k in n) printf "| %s | %d | %.0f | %.0f | %.0f |\n", k, n[k], s[k] / 1024, a[k] / 1024, q[k] / 1024
       printf "| **total** | %d | **%.0f** | %.0f | %.0f |\n", c, t / 1024, ta / 1024, tq / 1024}' "$work/rss.tsv" | sort -t'|' -k2,2
