# webhook_lib.sh — what the test_server_webhook*.sh tests share (sourced after server_lib.sh).
#
# start_receiver NAME SECRET [CERT KEY]  webhook_receiver.py (the reference's verify_webhook.py
#                       under uvicorn) on a free loopback port, WEBHOOK_SECRET=SECRET; sets
#                       $receiver_url (http[s]://127.0.0.1:PORT); logs to $tmp/NAME.log
# received NAME PATH    the log lines of the requests to PATH (one JSON object a line)
# count NAME PATH       how many requests PATH got
# wait_count NAME PATH N [SECONDS]   until PATH got N requests (default 60 s)
# submit KEY WEBHOOK_URL [curl args]  POST /v1/batch of the sample invoice; prints the batch id
# hook_state ID KEY     the batch's webhook object (compact JSON)
# wait_hook ID KEY STATE [SECONDS]   until the batch's webhook state is STATE (default 120 s)
# new_account PLAN      a new account with one key: sets $key and $secret

receiver_pids=()
trap 'stop_receivers; cleanup_server; rm -rf "$tmp"' EXIT

start_receiver() {
  local name=$1 secret=$2 i
  rm -f "$tmp/$name.port"
  WEBHOOK_SECRET="$secret" "$py" "$here/webhook_receiver.py" "$tmp/$name.port" "$tmp/$name.log" \
    "${@:3}" 2>"$tmp/$name.err" &
  receiver_pids+=($!)
  for i in $(seq 1 300); do [ -s "$tmp/$name.port" ] && break; sleep 0.1; done
  if [ ! -s "$tmp/$name.port" ]; then
    echo "FAIL: the receiver $name did not start:"; cat "$tmp/$name.err"
    return 1
  fi
  receiver_url="$([ $# -gt 2 ] && echo https || echo http)://127.0.0.1:$(cat "$tmp/$name.port")"
  touch "$tmp/$name.log"
}

stop_receivers() {
  local p
  # SIGKILL: uvicorn would wait for a /hang request to end
  for p in "${receiver_pids[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  receiver_pids=()
}

received() { jq -c --arg p "$2" 'select(.path == $p)' "$tmp/$1.log"; }
count() { received "$1" "$2" | wc -l; }

wait_count() { # NAME PATH N [SECONDS]
  local i limit=${4:-60}
  for i in $(seq 1 $((limit * 10))); do
    [ "$(count "$1" "$2")" -ge "$3" ] && return 0
    sleep 0.1
  done
  return 1
}

submit() { # KEY WEBHOOK_URL [curl args]: the batch id
  local k=$1 u=$2; shift 2
  api POST /v1/batch "$k" -F "files=@$fx/sample-invoice.pdf" -F "webhook_url=$u" "$@" >"$tmp/submit.st"
  if [ "$(cat "$tmp/submit.st")" != 202 ]; then
    echo "FAIL: submitting with webhook_url=$u: $(cat "$tmp/submit.st") $(cat "$tmp/body")" >&2
    return 1
  fi
  jq -r .batch_id "$tmp/body"
}

hook_state() {
  api GET "/v1/batch/$1" "$2" >/dev/null
  jq -c .webhook "$tmp/body"
}

wait_hook() { # ID KEY STATE [SECONDS]
  local i limit=${4:-120}
  for i in $(seq 1 $((limit * 5))); do
    [ "$(hook_state "$1" "$2" | jq -r .state)" = "$3" ] && return 0
    sleep 0.2
  done
  return 1
}

new_account() {
  "$cli" keys create --plan "$1" --data-dir "$data" >"$tmp/account.out" 2>/dev/null
  key=$(awk '$1 == "api_key:" {print $2}' "$tmp/account.out")
  secret=$(awk '$1 == "webhook_secret:" {print $2}' "$tmp/account.out")
  acct=$(awk '$1 == "account_id:" {print $2}' "$tmp/account.out")
}
