# Sourced by bench/compare.sh and bench/memory.sh (not run on its own): one object-storage server
# on loopback, started from the pinned npm packages of tests/servers, and the storage section of a
# registry configuration that points at it. Needs $root (the repository) and $work (a scratch
# directory); sets $storage_pid, which the caller's cleanup stops.

# KIND PORT BUCKET...: s3rver (with the conditional writes, UploadPartCopy and multipart-upload
# listing its launcher adds, as AWS has them) or Azurite, its data under $work, one bucket per name.
start_storage_server() {
  local kind=$1 port=$2 servers="$root/tests/servers" package bucket
  shift 2
  package=$([ "$kind" = s3 ] && echo s3rver || echo azurite)
  [ -d "$servers/node_modules/$package" ] ||
    { echo "$(basename "$0"): storage $kind needs the npm servers: npm ci --prefix tests/servers" >&2; return 2; }
  if [ "$kind" = s3 ]; then
    # A bucket of s3rver is a folder of its directory.
    for bucket in "$@"; do mkdir -p "$work/s3/$bucket"; done
    node --openssl-legacy-provider "$servers/s3rver.js" "$work/s3" "$port" --conditional-writes --upload-part-copy --multipart-listing \
      >"$work/s3rver.log" 2>&1 &
  else
    # Containers are created by the registry's driver.
    node "$servers/node_modules/azurite/dist/src/blob/main.js" --blobHost 127.0.0.1 --blobPort "$port" \
      --location "$work/azurite" --skipApiVersionCheck --loose --silent >"$work/azurite.log" 2>&1 &
  fi
  storage_pid=$!
  for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.5; done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null ||
    { cat "$work/$package.log" >&2; echo "$(basename "$0"): $package did not listen on port $port" >&2; return 1; }
  echo "storage: $package $(node -p "require('$servers/node_modules/$package/package.json').version") on 127.0.0.1:$port"
}

# KIND NAME PORT [ROOT]: the driver section (below "storage:") of a registry using bucket or
# container NAME on the server of start_storage_server, or the filesystem root ROOT.
storage_section() {
  case "$1" in
    filesystem) printf '  filesystem:\n    rootdirectory: %s\n' "$4" ;;
    # s3rver's published development credentials.
    s3) printf '  s3:\n    region: us-east-1\n    regionendpoint: http://127.0.0.1:%s\n    forcepathstyle: true\n    bucket: %s\n    accesskey: S3RVER\n    secretkey: S3RVER\n    secure: false\n    v4auth: true\n' "$3" "$2" ;;
    # Azurite's well-known development account (Microsoft's documentation).
    azure) printf '  azure:\n    accountname: devstoreaccount1\n    accountkey: Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==\n    container: %s\n    serviceurl: http://127.0.0.1:%s/devstoreaccount1\n' "$2" "$3" ;;
  esac
}

# The s3 driver of RegistryCloud sends the SDK's flexible checksums only where an operation
# requires one (its own key): s3rver predates them. Distribution has no such key.
registrycloud_s3_keys() { sed 's/^    v4auth: true$/&\n    checksums: whenrequired/'; }
