# server_lib.sh — helpers the test_server*.sh tests share (sourced, not a test).
#
# start_server ARGS...  `docflow serve` on a free loopback port over $data; sets $url, $server_pid
#                       (run through "${server_wrap[@]}" when set)
# stop_server           SIGTERM, wait; fails the test when the server did not exit 0 (under the
#                       sanitizer build that is where leaks and errors show)
# kill9_server          kill -9, as a crash
# new_key PLAN          prints a new key on a new account of PLAN
# api METHOD PATH KEY [curl args...]   body in $tmp/body, prints the status
# wait_complete ID KEY [SECONDS]       polls until the batch is complete
# busy_batch KEY                       submits one 12-page scanned PDF and waits until it is processing
#                                      (a worker busy for seconds: no gap between files where a
#                                      waiting extract could take it); sets $bid
# Sourcing sets what every server test starts with: $cli, $fx, $here, $py, a fresh $tmp with
# $data under it, the pass/fail counters with ok/bad, and an EXIT trap that stops the server and
# removes $tmp.

cli="$DF_CLI"
fx="$DF_SOURCE_DIR/fixtures"
here="$DF_SOURCE_DIR/tests/integration"
py=/usr/bin/python3
. "$here/mount_ns.sh"
tmp=$(mktemp -d)
data="$tmp/data"
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
trap 'cleanup_server; rm -rf "$tmp"' EXIT

server_pid=""
server_runs=0
server_wrap=() # a command that runs the server (it must exec it: the pid is the server's)

start_server() {
  server_runs=$((server_runs + 1))
  local log="$tmp/server.$server_runs.log" i
  : >"$log"
  "${server_wrap[@]}" "$cli" serve --data-dir "$data" --listen 127.0.0.1:0 "$@" 2>"$log" &
  server_pid=$!
  url=""
  for i in $(seq 1 600); do # up to 60 s: the sanitizer build starts slowly
    url=$(sed -n 's/^docflow: serving on \([^ ]*\) .*/\1/p' "$log")
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "FAIL: the server did not start:"; cat "$log"
    server_pid=""
    return 1
  fi
}

# SIGTERM and a clean exit (status 0) within 60 s
stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid st i
  server_pid=""
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    bad "the server did not stop within 60 s of SIGTERM"
    return 1
  fi
  wait "$pid"; st=$?
  if [ "$st" = 0 ]; then ok; else bad "the server exited $st: $(tail -n 20 "$tmp/server.$server_runs.log")"; fi
}

kill9_server() {
  [ -n "$server_pid" ] || return 0
  kill -9 "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
}

cleanup_server() {
  if [ -n "$server_pid" ]; then kill -9 "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
}

new_key() {
  "$cli" keys create --plan "$1" --data-dir "$data" 2>/dev/null | awk '$1 == "api_key:" {print $2}'
}

# api METHOD PATH KEY [curl args...]: the status; the body in $tmp/body
api() {
  local method=$1 path=$2 key=$3; shift 3
  local auth=()
  [ -n "$key" ] && auth=(-H "Authorization: Bearer $key")
  curl -s -o "$tmp/body" -w '%{http_code}' -X "$method" "${auth[@]}" "$@" "$url$path"
}

# expect_error STATUS CODE METHOD PATH KEY [curl args...]: the answer is that JSON error
expect_error() {
  local want=$1 code=$2 got; shift 2
  got=$(api "$@")
  if [ "$got" = "$want" ] && jq -e --arg c "$code" \
       '(keys == ["error"]) and (.error | keys == ["code", "message"]) and .error.code == $c
        and (.error.message | length > 10)' "$tmp/body" >/dev/null 2>&1; then
    ok
  else
    bad "$1 $2: got $got $(head -c 300 "$tmp/body"), want $want $code"
  fi
}

wait_complete() { # ID KEY [SECONDS]
  local id=$1 key=$2 limit=${3:-240} i
  for i in $(seq 1 $((limit * 5))); do
    api GET "/v1/batch/$id" "$key" >/dev/null
    [ "$(jq -r .status "$tmp/body" 2>/dev/null)" = complete ] && return 0
    sleep 0.2
  done
  bad "batch $id not complete after $limit s: $(cat "$tmp/body")"
  return 1
}

busy_batch() { # KEY
  local key=$1 i
  [ -f "$tmp/long.pdf" ] || "$py" "$here/long_pdf.py" "$fx/invoice-faint.jpg" "$tmp/long.pdf" 12
  [ "$(api POST /v1/batch "$key" -F "files=@$tmp/long.pdf")" = 202 ] && ok || bad "busy batch: $(cat "$tmp/body")"
  bid=$(jq -r .batch_id "$tmp/body")
  for i in $(seq 1 300); do
    api GET "/v1/batch/$bid" "$key" >/dev/null; [ "$(jq -r .status "$tmp/body")" = processing ] && break; sleep 0.1
  done
}
