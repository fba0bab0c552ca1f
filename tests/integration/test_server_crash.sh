#!/usr/bin/env bash
# Nothing accepted is lost: `kill -9` of `docflow serve` in the middle of a
# batch (twice), then a restart: every file ends with exactly one result, in
# submission order, the same as `docflow extract` gives; the files being
# extracted at the kill are extracted again (their attempt count says so).
# A kill in the middle of an upload leaves no file and no batch; a batch
# folder no committed batch names (a crash between the renames and the
# commit) is removed at start. An accepted file deleted from the disk
# behind the server's back gets an internal_error result; the others go on.
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"

# the store, read directly (test only): "idx attempts state" per file of a batch
files_of() {
  "$py" - "$data/docflow.db" "$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("SELECT idx, attempts, state FROM files WHERE batch_id = ? ORDER BY idx", (sys.argv[2],)):
    print(*row)
print("results", db.execute("SELECT COUNT(*) FROM results WHERE batch_id = ?", (sys.argv[2],)).fetchone()[0])
print("batches", db.execute("SELECT COUNT(*) FROM batches").fetchone()[0])
EOF
}

key=$(new_key starter)
# OCR documents take a second or more each: the kills land mid-extraction
docs=("$fx/invoice.png" "$fx/invoice.jpg" "$fx/invoice-scanned.pdf" "$fx/sample-invoice.pdf"
      "$fx/invoice.webp" "$fx/bad/corrupt.png" "$fx/invoice-multipage.tif" "$fx/bmp-8bit.bmp"
      "$fx/invoice-lzw.tif" "$fx/invoice-2page.pdf")
n=${#docs[@]}
form=(); for d in "${docs[@]}"; do form+=(-F "files=@$d"); done
start_server --workers 2 || exit 1
[ "$(api POST /v1/batch "$key" "${form[@]}")" = 202 ] && ok || bad "submit: $(cat "$tmp/body")"
id=$(jq -r .batch_id "$tmp/body")

# kill -9 while files are being extracted, twice (the second time once more
# files were done after the first restart)
before=0
for round in 1 2; do
  for i in $(seq 1 3000); do
    api GET "/v1/batch/$id" "$key" >/dev/null
    p=$(jq -r .processed "$tmp/body")
    [ "$p" -gt "$before" ] && break
    sleep 0.05
  done
  sleep 0.3 # into the next files
  api GET "/v1/batch/$id" "$key" >/dev/null
  before=$(jq -r .processed "$tmp/body")
  [ "$before" -lt "$n" ] && ok || bad "round $round: the batch finished before the kill"
  kill9_server
  files_of "$id" >"$tmp/db.$round"
  running=$(awk '$3 == 1' "$tmp/db.$round" | wc -l)
  [ "$running" -ge 1 ] && ok || bad "round $round: no file was being extracted at the kill: $(cat "$tmp/db.$round")"
  # an accepted file that vanished from the disk (an operator's mistake) fails alone
  if [ "$round" = 2 ] && awk -v l=$((n - 1)) '$1 == l && $3 == 0' "$tmp/db.2" | grep -q .; then
    rm "$data/batches/$id/input/$(printf %04d $((n - 1)))".* && lost=1
  fi
  start_server --workers 2 || exit 1
  grep -q "recovered: $running files being extracted at the last stop are queued again" "$tmp/server.$server_runs.log" \
    && ok || bad "round $round: restart did not requeue $running files: $(cat "$tmp/server.$server_runs.log")"
  echo "kill $round: $before of $n done, $running being extracted"
done
wait_complete "$id" "$key" 600 && ok
jq -e --argjson n "$n" '.processed == $n and .total == $n and .status == "complete"' "$tmp/body" >/dev/null \
  && ok || bad "final status: $(cat "$tmp/body")"
curl -s "$(jq -r .download_url "$tmp/body")" >"$tmp/results.json"
jq -e --argjson n "$n" 'length == $n and ([.[].file_index] == [range(0; $n)])' "$tmp/results.json" >/dev/null \
  && ok || bad "results not exactly once in order: $(jq -c '[.[].file_index]' "$tmp/results.json")"
"$cli" extract "${docs[@]}" >"$tmp/cli.json" 2>/dev/null
norm='map(del(.file_key) | if .error then .error |= del(.message) else . end)'
keep=$n
if [ "${lost:-0}" = 1 ]; then
  keep=$((n - 1))
  jq -e --argjson l "$keep" '.[$l] | .error.code == "internal_error" and (.error.message | test("^batch/.*/input/[0-9]{4}\\.pdf: the stored file cannot be read"))
        and .extraction.document_type == "other" and .validation.math_valid == false' "$tmp/results.json" >/dev/null \
    && ok || bad "the vanished file's result: $(jq -c ".[$keep]" "$tmp/results.json")"
else
  echo "note: the last file was done before the second kill; its vanishing was not tried"
fi
cmp -s <(jq -S ".[:$keep] | $norm" "$tmp/results.json") <(jq -S ".[:$keep] | $norm" "$tmp/cli.json") && ok \
  || bad "results after the kills differ from docflow extract"
files_of "$id" >"$tmp/db.final"
awk '$1 ~ /^[0-9]+$/ && $3 != 2' "$tmp/db.final" | grep -q . && bad "files not done: $(cat "$tmp/db.final")" || ok
grep -q "^results $n$" "$tmp/db.final" && ok || bad "result rows: $(grep results "$tmp/db.final")"
again=$(awk '$1 ~ /^[0-9]+$/ && $2 >= 2' "$tmp/db.final" | wc -l)
[ "$again" -ge 1 ] && ok || bad "no file was extracted again: $(cat "$tmp/db.final")"
echo "files extracted more than once (killed mid-extraction): $again"

# ---- kill -9 in the middle of an upload: nothing of it stays ----------------------
batches_before=$(grep '^batches ' "$tmp/db.final" | cut -d' ' -f2)
head -c $((3 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$tmp/pad"
cat "$fx/sample-invoice.pdf" "$tmp/pad" >"$tmp/big.pdf"
up=(); for i in $(seq 1 10); do up+=(-F "files=@$tmp/big.pdf"); done
curl -s -o /dev/null --limit-rate 4M -H "Authorization: Bearer $key" "${up[@]}" "$url/v1/batch" &
cpid=$!
for i in $(seq 1 100); do [ "$(find "$data/tmp" -type f | wc -l)" -ge 2 ] && break; sleep 0.1; done
[ "$(find "$data/tmp" -type f | wc -l)" -ge 2 ] && ok || bad "the upload did not start"
kill9_server
wait "$cpid" 2>/dev/null
# and a folder a crash between an upload's renames and its commit would leave
orphan=00000000-0000-4000-8000-00000000dead
mkdir -p "$data/batches/$orphan/input" && cp "$fx/sample-invoice.pdf" "$data/batches/$orphan/input/0000.pdf"
start_server --workers 2 || exit 1
[ "$(find "$data/tmp" -type f | wc -l)" = 0 ] && ok || bad "temp files left after the restart"
[ ! -e "$data/batches/$orphan" ] && ok || bad "the orphan batch folder was not removed"
grep -q 'unfinished upload folders removed' "$tmp/server.$server_runs.log" && ok || bad "no recovery message"
[ "$(files_of "$id" | grep '^batches ' | cut -d' ' -f2)" = "$batches_before" ] && ok || bad "the killed upload made a batch"
[ "$(find "$data/batches" -mindepth 1 -maxdepth 1 | wc -l)" = "$batches_before" ] && ok || bad "batch folders"
stop_server

echo "$pass passed, $fail failed"
[ $fail = 0 ]
