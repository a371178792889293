# Sourced by bench/compare.sh for --pull-cpu N (not run on its own): after both registries are up,
# one random 512 MiB blob is pushed to each, then pulled N times from each in alternation by curl
# (which does not hash it), and every pull prints its rate and the CPU seconds each server process
# spent on it: the registry's own cost per pulled byte, which the workloads' figures mix with the
# benchmark client's hashing on a 2-core machine. Needs compare.sh's variables and functions
# (work, with_dist, dist_port, rc_port, dist_pid, gw_pid, blob_pid, storage_pid, cpu_ticks).

pull_cpu_probe() { # N
  local n=$1 digest blob="$work/pull-cpu.blob" i
  head -c $((512 * 1024 * 1024)) /dev/urandom >"$blob"
  digest=sha256:$(sha256sum "$blob" | cut -d' ' -f1)
  [ "$with_dist" = 1 ] && pull_cpu_push "http://127.0.0.1:$dist_port" "$blob" "$digest"
  pull_cpu_push "http://127.0.0.1:$rc_port" "$blob" "$digest"
  rm -f "$blob"
  echo "| pull (curl, 512 MiB, not hashed) | registry | MiB/s | CPU s per pull, by process |"
  echo "| --- | --- | ---: | --- |"
  for i in $(seq 1 "$n"); do
    [ "$with_dist" = 1 ] && pull_cpu_one "$i" distribution "http://127.0.0.1:$dist_port" "$digest" "$dist_pid"
    pull_cpu_one "$i" registrycloud "http://127.0.0.1:$rc_port" "$digest" "$gw_pid" "$blob_pid"
  done
}

pull_cpu_push() { # url file digest: POST, then PUT of the whole body
  local location status
  location=$(curl -s -D - -o /dev/null -X POST "$1/v2/pull-cpu/blobs/uploads/" | tr -d '\r' | awk -F': ' 'tolower($1) == "location" {print $2}')
  case "$location" in http*) ;; "") echo "pull-cpu: $1 gave no upload location" >&2; return 1 ;; *) location="$1$location" ;; esac
  case "$location" in *\?*) location="$location&digest=$3" ;; *) location="$location?digest=$3" ;; esac
  status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$2" "$location")
  [ "$status" = 201 ] || { echo "pull-cpu: the push to $1 answered $status" >&2; return 1; }
}

pull_cpu_one() { # round label url digest pids...
  local round=$1 label=$2 url=$3 digest=$4; shift 4
  local pids=("$@" $storage_pid) before=() p i=0 rate cpu=""
  for p in "${pids[@]}"; do before+=("$(cpu_ticks "$p")"); done
  rate=$(curl -s -o /dev/null -w '%{speed_download}' "$url/v2/pull-cpu/blobs/$digest")
  for p in "${pids[@]}"; do
    cpu="$cpu $(cat "/proc/$p/comm" 2>/dev/null) $(awk -v t=$(( $(cpu_ticks "$p") - ${before[$i]} )) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}'),"
    i=$((i + 1))
  done
  echo "| $round | $label | $(awk -v r="$rate" 'BEGIN {printf "%.0f", r / 1048576}') |${cpu%,} |"
}
