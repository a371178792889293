# Process and port helpers the benchmark scripts share (sourced, not run).

# Whether any of the pids is a live process (not gone, not a zombie).
alive() { local p; for p in "$@"; do [ -d "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null && return 0; done; return 1; }

# The first loopback port from $1 (within 200) that nothing answers on.
free_port() {
  local p
  for p in $(seq "$1" $(($1 + 200))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "$(basename "$0"): no free port from $1" >&2; exit 1
}
