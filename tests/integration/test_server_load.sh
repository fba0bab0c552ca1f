#!/usr/bin/env bash
# `docflow serve` under load: 20 clients at once each get exactly their own
# results; a PDF alone in the queue runs on every idle worker (page
# parallelism, as docflow batch has); fair scheduling (account A's 100-file
# batch does not hold account B's single file behind it); and memory: peak
# RSS while 100 files of 10 MB are uploaded stays within idle + 64 MiB
# (uploads stream to disk).
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"

# ---- 20 concurrent clients ------------------------------------------------------
pool=("$fx/sample-invoice.pdf" "$fx/invoice-2page.pdf" "$fx/bmp-1bit.bmp" "$fx/bad/corrupt.pdf"
      "$fx/invoice-rotated.pdf" "$fx/bad/truncated.png" "$fx/invoice-encrypted-empty.pdf")
"$cli" extract "${pool[@]}" >"$tmp/alone.json" 2>/dev/null
jq -n --slurpfile r "$tmp/alone.json" '$ARGS.positional as $f | {files: $f, results: ([range(0; $f | length) as $i
    | {($f[$i]): {document_type: $r[0][$i].extraction.document_type, error: $r[0][$i].error.code,
                  grand_total: $r[0][$i].extraction.financial.totals.grand_total}}] | add)}' \
  --args "${pool[@]}" >"$tmp/expected.json"
jq -e '.files | length == 7' "$tmp/expected.json" >/dev/null && ok || bad "expected results: $(cat "$tmp/expected.json")"
keys=(); for i in $(seq 1 20); do keys+=("$(new_key starter)"); done
start_server --workers 2 || exit 1
if "$py" "$here/server_clients.py" "$url" "$tmp/expected.json" "${keys[@]}" >"$tmp/clients.out" 2>&1; then ok
else bad "concurrent clients: $(tail -n 20 "$tmp/clients.out")"; fi
grep -q '^20 clients, 0 errors$' "$tmp/clients.out" && ok || bad "clients: $(tail -n 3 "$tmp/clients.out")"

# ---- page parallelism: a scanned PDF alone gets the idle worker too ---------------
gkey=$(new_key starter)
[ "$(api POST /v1/batch "$gkey" -F "files=@$fx/invoice-scanned-3page.pdf")" = 202 ] && ok \
  || bad "the lone PDF: $(cat "$tmp/body")"
gid=$(jq -r .batch_id "$tmp/body")
lent=0
for i in $(seq 1 2400); do
  curl -s "$url/metrics" >"$tmp/metrics"
  grep -q '^docflow_workers_lent 1$' "$tmp/metrics" && { lent=1; break; }
  api GET "/v1/batch/$gid" "$gkey" >/dev/null
  [ "$(jq -r .status "$tmp/body")" = complete ] && break
  sleep 0.05
done
[ "$lent" = 1 ] && ok || bad "a PDF alone in the queue ran on one worker (the other stayed idle)"
wait_complete "$gid" "$gkey" 300 && ok
"$cli" extract "$fx/invoice-scanned-3page.pdf" >"$tmp/alone3.json" 2>/dev/null
curl -s "$(jq -r .download_url "$tmp/body")" >"$tmp/gang.json"
cmp -s <(jq -S 'map(del(.file_key))' "$tmp/gang.json") <(jq -S 'map(del(.file_key))' "$tmp/alone3.json") \
  && ok || bad "the PDF's result on two threads differs from docflow extract's"

# ---- fairness: A submits 100 files, then B one; B's finishes long before A's batch --
akey=$(new_key starter); bkey=$(new_key starter)
fa=(); for i in $(seq 1 100); do fa+=(-F "files=@$fx/bmp-1bit.bmp"); done
[ "$(api POST /v1/batch "$akey" "${fa[@]}")" = 202 ] && ok || bad "A's batch: $(cat "$tmp/body")"
aid=$(jq -r .batch_id "$tmp/body")
[ "$(api POST /v1/batch "$bkey" -F "files=@$fx/bmp-1bit.bmp")" = 202 ] && ok || bad "B's batch: $(cat "$tmp/body")"
bid=$(jq -r .batch_id "$tmp/body")
wait_complete "$bid" "$bkey" 300 && ok
api GET "/v1/batch/$aid" "$akey" >/dev/null
a_done=$(jq -r .processed "$tmp/body")
# FIFO across accounts would finish all 100 of A's first; round-robin takes B's
# file as soon as a worker is free (two workers: a few of A's files at most)
[ "$a_done" -lt 25 ] && ok || bad "B's single file waited for $a_done of A's 100 files"
echo "fairness: B's file complete when A had $a_done of 100 done"
stop_server # A's remaining files are cancelled, back in the queue

# ---- memory: 100 x 10 MB uploaded, peak RSS <= idle + 64 MiB ------------------------
data="$tmp/data-rss"
rkey=$(new_key starter)
start_server --workers 2 || exit 1
# 10 MB exactly: a JPEG's first bytes (accepted), then zeros (fails fast as corrupt)
{ printf '\xff\xd8\xff\xe0'; head -c $((10 * 1024 * 1024 - 4)) /dev/zero; } >"$tmp/big.jpg"
f100=(); for i in $(seq 1 100); do f100+=(-F "files=@$tmp/big.jpg"); done
sleep 1 # the engine and workers settled
idle=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status")
echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null || echo "note: clear_refs unavailable: peak since start"
st=$(api POST /v1/batch "$rkey" "${f100[@]}")
peak=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")
[ "$st" = 202 ] && jq -e '.total_files == 100' "$tmp/body" >/dev/null && ok || bad "100 x 10 MB: $st $(cat "$tmp/body")"
growth=$(( (peak - idle) / 1024 ))
echo "memory: idle RSS $((idle / 1024)) MiB, peak during the 1000 MB upload $((peak / 1024)) MiB (+$growth MiB)"
[ "$growth" -le 64 ] && ok || bad "peak RSS grew by $growth MiB during the upload (limit 64)"
[ "$(find "$data/batches" -name '*.jpeg' | wc -l)" = 100 ] && ok || bad "100 stored files expected"
stop_server

echo "$pass passed, $fail failed"
[ $fail = 0 ]
