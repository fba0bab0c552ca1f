#!/usr/bin/env bash
# A full disk while results are written: the result the store cannot take
# is kept in memory and stored again (1, 2, 4 ... s apart) once there is
# space; nothing is lost or stored twice, and the batch completes with what
# `docflow extract` gives. The data directory is a 4 MiB tmpfs in a mount
# namespace of the test's own (mount_ns.sh; CI runs as root, where it works).
set -uo pipefail
if [ -z "${DF_IN_NS:-}" ]; then
  . "$DF_SOURCE_DIR/tests/integration/mount_ns.sh"
  [ ${#mount_ns[@]} -gt 0 ] || { echo "FAIL: no mount namespace can be made here (unshare -m, unshare -rm)"; exit 1; }
  exec "${mount_ns[@]}" env DF_IN_NS=1 bash "$0" "$@"
fi
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"

mkdir -p "$data"
mount -t tmpfs -o size=4m docflow-full "$data" || { echo "FAIL: cannot mount a tmpfs"; exit 1; }
chmod 700 "$data"
key=$(new_key starter)
mkdir -p "$tmp/f" && cp "$fx/invoice.png" "$tmp/f/a.png" && cp "$fx/invoice.jpg" "$tmp/f/b.jpg"
(cd "$tmp/f" && "$cli" extract a.png b.jpg >"$tmp/cli.json" 2>/dev/null)
start_server --workers 1 || exit 1
[ "$(api POST /v1/batch "$key" -F "files=@$tmp/f/a.png" -F "files=@$tmp/f/b.jpg")" = 202 ] && ok || bad "submit: $(cat "$tmp/body")"
id=$(jq -r .batch_id "$tmp/body")
for i in $(seq 1 300); do
  api GET "/v1/batch/$id" "$key" >/dev/null; [ "$(jq -r .status "$tmp/body")" = processing ] && break; sleep 0.05
done
# fill the disk while the first file is being extracted
dd if=/dev/zero of="$data/filler" bs=64k 2>/dev/null
log="$tmp/server.$server_runs.log"
for i in $(seq 1 1200); do grep -q 'kept in memory, trying again' "$log" && break; sleep 0.1; done
grep -q "storing the result of batch $id file 0 failed (.*full.*): kept in memory, trying again" "$log" \
  && ok || bad "no failed result write: $(grep -v '^{' "$log" | tail -n 5)"
sleep 2 # a retry or two on the full disk
api GET "/v1/batch/$id" "$key" >/dev/null
jq -e '.status != "complete" and .processed == 0' "$tmp/body" >/dev/null && ok || bad "status on a full disk: $(cat "$tmp/body")"
# to a file first: with pipefail, grep -q closing the pipe early could fail curl (SIGPIPE)
curl -s -o "$tmp/metrics" "$url/metrics"
grep -q '^docflow_store_retries_total [1-9]' "$tmp/metrics" && ok \
  || bad "no store retries counted: $(grep store_retries "$tmp/metrics")"
rm -f "$data/filler"
wait_complete "$id" "$key" 120 && ok
grep -q "the result of batch $id file 0 was stored at try [2-9]" "$log" && ok || bad "no late store: $(grep -v '^{' "$log" | tail -n 5)"
curl -s "$(jq -r .download_url "$tmp/body")" >"$tmp/res.json"
norm='map(del(.file_key))'
jq -e 'length == 2 and [.[].file_index] == [0, 1]' "$tmp/res.json" >/dev/null \
  && cmp -s <(jq -S "$norm" "$tmp/res.json") <(jq -S "$norm" "$tmp/cli.json") && ok || bad "results: $(head -c 300 "$tmp/res.json")"
stop_server
umount "$data"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
