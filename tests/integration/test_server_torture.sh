#!/usr/bin/env bash
# Crash torture: 20 deaths of `docflow serve` (SIGKILL) at the moments a
# crash hurts most — mid-upload, between a batch's file renames, between
# the renames and the commit, mid-extraction, between a result and its
# commit, between the janitor's store change and its folder removal — and
# at random times, each followed by a restart. After every restart nothing
# accepted is lost, duplicated or orphaned on disk, and every batch
# completes with exactly one result per file, in order, equal to `docflow
# extract`'s. Then: a poison file (the server dies on it every time) fails
# with internal_error after 3 attempts while its batch goes on; a second
# server on the same data directory is refused (the lock).
# The deaths come from DOCFLOW_TEST_CRASH (tools/server/crashpoint.h).
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"

# the store, read directly (test only)
sql() {
  "$py" - "$data/docflow.db" "$1" <<'EOF'
import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print(*row)
EOF
}

key=$(new_key starter)
mkdir -p "$tmp/f"
cp "$fx/sample-invoice.pdf" "$tmp/f/a.pdf"
cp "$fx/invoice.png" "$tmp/f/b.png"
cp "$fx/bad/corrupt.png" "$tmp/f/c.png"
cp "$fx/invoice-2page.pdf" "$tmp/f/d.pdf"
docs=(a.pdf b.png c.png d.pdf)
(cd "$tmp/f" && "$cli" extract "${docs[@]}" >"$tmp/cli.json" 2>/dev/null)
norm='map(del(.file_key) | if .error then .error |= del(.message) else . end)'
form=(); for d in "${docs[@]}"; do form+=(-F "files=@$tmp/f/$d"); done

# start_armed POINT [serve args]: a server that dies at POINT ("" = none);
# returns when it serves or died. Sets $server_pid (empty when it died).
start_armed() {
  local point=$1 i; shift
  server_runs=$((server_runs + 1))
  : >"$tmp/server.$server_runs.log"
  DOCFLOW_TEST_CRASH=$point "$cli" serve --data-dir "$data" --listen 127.0.0.1:0 "$@" \
    2>"$tmp/server.$server_runs.log" &
  server_pid=$!
  url=""
  for i in $(seq 1 600); do
    url=$(sed -n 's/^docflow: serving on \([^ ]*\) .*/\1/p' "$tmp/server.$server_runs.log")
    [ -n "$url" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || { wait "$server_pid" 2>/dev/null; server_pid=""; return 0; }
    sleep 0.1
  done
}

# wait_death SECONDS: 0 when the armed server died by itself (SIGKILL)
wait_death() {
  local i st
  [ -n "$server_pid" ] || return 0
  for i in $(seq 1 $(($1 * 10))); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid"; st=$?; server_pid=""
      [ "$st" = 137 ] && return 0
      bad "the server exited $st instead of dying at its crash point"; return 1
    fi
    sleep 0.1
  done
  return 1
}

verified=""  # batch ids whose results were checked
: >"$tmp/accepted" # batch ids answered 202
submit() { # runs in the background: a 202'd batch id goes to $tmp/accepted; no answer (a death) is fine
  local st
  st=$(curl -s -o "$tmp/sub.json" -w '%{http_code}' -H "Authorization: Bearer $key" "${form[@]}" "$url/v1/batch")
  if [ "$st" = 202 ]; then jq -r .batch_id "$tmp/sub.json" >>"$tmp/accepted"; fi
}

# every accepted batch completes with exactly its results, in order, equal to extract's
check_all() {
  local id
  for id in $(cat "$tmp/accepted"); do
    case " $verified " in *" $id "*) continue ;; esac
    wait_complete "$id" "$key" 300 || return
    curl -s "$(jq -r .download_url "$tmp/body")" >"$tmp/res.json"
    if jq -e --argjson n ${#docs[@]} 'length == $n and [.[].file_index] == [range(0; $n)]' "$tmp/res.json" >/dev/null \
       && cmp -s <(jq -S "$norm" "$tmp/res.json") <(jq -S "$norm" "$tmp/cli.json"); then
      ok; verified="$verified $id"
    else
      bad "batch $id after the crashes: $(jq -c '[.[] | [.file_index, .error.code]]' "$tmp/res.json")"
    fi
  done
}

# nothing orphaned: batch folders = the store's live batches; tmp/ empty;
# every file has one result; no file left running. A batch the store
# committed before the death but whose 202 never reached the client is
# not in $tmp/accepted, so check_all did not wait for it: the restarted
# server finishes it first (up to 300 s; a file never finished still fails).
check_disk() {
  local live dirs i
  for i in $(seq 1 3000); do
    [ "$(sql "SELECT COUNT(*) FROM files f JOIN batches b ON b.id = f.batch_id
              WHERE b.state <> 3 AND f.state <> 2")" = 0 ] && break
    sleep 0.1
  done
  live=$(sql "SELECT id FROM batches WHERE state <> 3 ORDER BY id" | tr '\n' ' ')
  dirs=$(find "$data/batches" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ')
  [ "$live" = "$dirs" ] && ok || bad "$1: batch folders [$dirs] vs live batches [$live]"
  [ -z "$(find "$data/tmp" -mindepth 1)" ] && ok || bad "$1: files left in tmp/: $(ls "$data/tmp")"
  [ "$(sql "SELECT COUNT(*) FROM files f JOIN batches b ON b.id = f.batch_id WHERE b.state <> 3 AND
        (f.state <> 2 OR (SELECT COUNT(*) FROM results r WHERE r.batch_id = f.batch_id AND r.idx = f.idx) <> 1)")" = 0 ] \
    && ok || bad "$1: files without exactly one result"
}

points=(upload adopt commit extract result janitor random)
deaths=0
for round in $(seq 1 20); do
  point=${points[$(((round - 1) % ${#points[@]}))]}
  retention=1h; [ "$point" = janitor ] && retention=1s
  armed=$point; [ "$point" = random ] && armed=""
  case $point in # arrivals: upload counts chunks; the rest, their first arrival
    upload) armed="upload#3" ;; adopt) armed="adopt#2" ;;
  esac
  start_armed "$armed" --workers 2 --retention "$retention"
  if [ -n "$server_pid" ]; then
    submit &
    spid=$!
    if [ "$point" = random ]; then
      sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
      kill9_server
    fi
    wait_death 120 || { kill9_server; bad "round $round: never reached $point"; }
    wait "$spid"
  fi
  deaths=$((deaths + 1))
  echo "round $round: died at $point; batches accepted so far: $(wc -l <"$tmp/accepted")"
  start_armed "" --workers 2 --retention "$retention"
  [ -n "$server_pid" ] || { bad "round $round: no restart: $(cat "$tmp/server.$server_runs.log")"; break; }
  check_all
  check_disk "round $round ($point)"
  stop_server
done
[ "$deaths" = 20 ] && ok || bad "$deaths deaths, want 20"
[ "$(wc -l <"$tmp/accepted")" -ge 6 ] && ok || bad "only $(wc -l <"$tmp/accepted") batches were accepted"
echo "batches accepted: $(wc -l <"$tmp/accepted"), verified: $(wc -w <<<"$verified")"

# ---- a poison file: the server dies on it each time; the 4th claim gives up ----------------
cp "$fx/invoice.png" "$tmp/f/poison.png"
# one worker: the files go in order, so only the poison file is ever running at a death
start_armed "extract/poison.png" --workers 1 --retention 1h
st=$(curl -s -o "$tmp/p.json" -w '%{http_code}' -H "Authorization: Bearer $key" -F "files=@$tmp/f/a.pdf" \
     -F "files=@$tmp/f/poison.png" -F "files=@$tmp/f/d.pdf" "$url/v1/batch")
[ "$st" = 202 ] && ok || bad "poison submit: $st"
pid_batch=$(jq -r .batch_id "$tmp/p.json")
died=0
for i in 1 2 3; do
  wait_death 120 && died=$((died + 1))
  start_armed "extract/poison.png" --workers 1 --retention 1h # still armed: the 4th claim must not extract
done
[ "$died" = 3 ] && ok || bad "the server died $died times on the poison file, want 3"
wait_complete "$pid_batch" "$key" 300 && ok
curl -s "$(jq -r .download_url "$tmp/body")" >"$tmp/p.res"
jq -e '[.[].file_index] == [0, 1, 2] and .[0].error == null and .[2].error == null
       and .[1].error.code == "internal_error"
       and (.[1].error.message | test("input/0001\\.png: extraction was started 3 times and the server stopped each time"))
       and .[1].extraction.document_type == "other"' "$tmp/p.res" >/dev/null \
  && ok || bad "poison results: $(jq -c '[.[] | [.file_index, .error]]' "$tmp/p.res")"
[ "$(sql "SELECT attempts FROM files WHERE batch_id = '$pid_batch' AND idx = 1")" = 4 ] && ok \
  || bad "poison attempts: $(sql "SELECT idx, attempts FROM files WHERE batch_id = '$pid_batch'")"

# ---- the lock: a second server on the same directory is refused ---------------------
"$cli" serve --data-dir "$data" --listen 127.0.0.1:0 2>"$tmp/second.err" & second=$!
for i in $(seq 1 300); do kill -0 "$second" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$second" 2>/dev/null; then kill -9 "$second"; bad "a second server started on the same data directory"
else
  wait "$second"; st=$?
  [ "$st" != 0 ] && grep -q 'another docflow serve is using this data directory' "$tmp/second.err" \
    && ok || bad "second server: exit $st: $(cat "$tmp/second.err")"
fi
stop_server
check_disk "the end"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
