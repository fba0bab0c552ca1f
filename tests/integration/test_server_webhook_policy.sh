#!/usr/bin/env bash
# Where webhooks may go (the SSRF policy) and how an attempt is bounded. By default: http://
# and every refused class of literal address (loopback, private, link-local, unique-local,
# multicast, unspecified, reserved, cloud metadata; IPv4-mapped and numeric forms) are 400
# invalid_webhook_url at submission, saying why; a name is not resolved at submission (an
# air-gapped server accepts it) but at each attempt: `localhost` is refused there, the
# attempt records why, and no connection is made. With --allow-private-webhooks a TLS
# receiver (certificate of a CA made here with openssl) is refused without --webhook-ca-file
# and reached with it, by address and by name; redirects are not followed; an endless answer
# is cut (64 KiB) and the delivery counts; a receiver that never answers times out;
# --webhook-proxy is the only way out through a proxy.
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"
. "$DF_SOURCE_DIR/tests/integration/webhook_lib.sh"

"$py" -c 'import fastapi, uvicorn' || { echo "FAIL: python3-fastapi and python3-uvicorn are needed (scripts/install-deps --test)"; exit 1; }
command -v openssl >/dev/null || { echo "FAIL: openssl is needed (scripts/install-deps --test)"; exit 1; }
batch_dirs() { find "$data/batches" -mindepth 1 -maxdepth 1 | wc -l; }
new_account starter

# ---- submission, default policy: https only, no literal non-public address -----------------
start_server --workers 1 --webhook-backoff 500ms,500ms,500ms || exit 1
dirs=$(batch_dirs)
refuse() { # URL WORDS: 400 invalid_webhook_url whose message has WORDS
  expect_error 400 invalid_webhook_url POST /v1/batch "$key" -F "files=@$fx/sample-invoice.pdf" -F "webhook_url=$1"
  jq -r .error.message "$tmp/body" | grep -qF -- "$2" && ok || bad "$1: $(jq -r .error.message "$tmp/body"), want '$2'"
}
refuse "http://example.com/hook" "--allow-http-webhooks"
refuse "https://127.0.0.1/hook" "127.0.0.1 is a loopback address"
refuse "https://2130706433/hook" "loopback"
refuse "https://[::1]:8443/hook" "::1 is a loopback address"
refuse "https://[::ffff:127.0.0.1]/hook" "loopback"
refuse "https://10.1.2.3/hook" "a private address"
refuse "https://192.168.0.10/hook" "a private address"
refuse "https://169.254.169.254/latest/meta-data/" "a cloud metadata address"
refuse "https://[fd00:ec2::254]/" "a cloud metadata address"
refuse "https://[::ffff:169.254.169.254]/" "a cloud metadata address"
refuse "https://169.254.10.1/hook" "a link-local address"
refuse "https://[fe80::1]/hook" "a link-local address"
refuse "https://[fd12:3456::1]/hook" "a unique-local address"
refuse "https://224.0.0.251/hook" "a multicast address"
refuse "https://0.0.0.0/hook" "an unspecified address"
refuse "https://240.0.0.1/hook" "a reserved address"
refuse "https://127.0.0.1/hook" "--allow-private-webhooks"
[ "$(batch_dirs)" = "$dirs" ] && ok || bad "refused submissions left batch folders"

# a name is not resolved at submission (no DNS needed); at delivery it is
api POST /v1/batch "$key" -F "files=@$fx/sample-invoice.pdf" -F "webhook_url=https://no-such-host.invalid/hook" >"$tmp/st"
[ "$(cat "$tmp/st")" = 202 ] && ok || bad "a name that does not resolve, at submission: $(cat "$tmp/st") $(cat "$tmp/body")"
invalid=$(jq -r .batch_id "$tmp/body")
# `localhost` resolves to 127.0.0.1: refused at each attempt, no connection made to the listener
"$py" -c 'import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
n = 0
while True:
    c, _ = s.accept(); n += 1; c.close(); open(sys.argv[2], "w").write(str(n))' "$tmp/listener.port" "$tmp/listener.count" &
receiver_pids+=($!)
for i in $(seq 1 100); do [ -s "$tmp/listener.port" ] && break; sleep 0.1; done
lport=$(cat "$tmp/listener.port")
local_id=$(submit "$key" "https://localhost:$lport/hook") || exit 1
wait_hook "$local_id" "$key" failed 120 || bad "localhost delivery state: $(hook_state "$local_id" "$key")"
jq -e '.attempts == 4 and .last_status == null and (.last_error | startswith("refused: localhost resolves to a loopback address")
       and contains("--allow-private-webhooks"))' <<<"$(hook_state "$local_id" "$key")" >/dev/null \
  && ok || bad "the localhost attempt's outcome: $(hook_state "$local_id" "$key")"
[ ! -e "$tmp/listener.count" ] && ok || bad "a connection was made to the refused address ($(cat "$tmp/listener.count"))"
"$cli" webhooks show "$local_id" --data-dir "$data" >"$tmp/show.out" 2>&1
[ "$(grep -c '^  attempt [1-4] .*refused: localhost resolves to a loopback address' "$tmp/show.out")" = 4 ] && ok || bad "show: $(cat "$tmp/show.out")"
wait_hook "$invalid" "$key" failed 120 && jq -e '.last_error | contains("no-such-host.invalid cannot be resolved")' \
  <<<"$(hook_state "$invalid" "$key")" >/dev/null && ok || bad "unresolvable name: $(hook_state "$invalid" "$key")"
stop_server

# ---- TLS with a private CA -----------------------------------------------------------------
mkdir -p "$tmp/pki" && cd "$tmp/pki" || exit 1
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=docflow test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null &&
openssl req "${ec[@]}" -keyout srv.key -out srv.csr -subj "/CN=localhost" 2>/dev/null &&
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf &&
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile ext.cnf 2>/dev/null \
  || { echo "FAIL: making the test CA"; exit 1; }
cd - >/dev/null || exit 1
start_receiver tls "$secret" "$tmp/pki/srv.pem" "$tmp/pki/srv.key" || exit 1
tport=${receiver_url##*:}
start_server --workers 1 --allow-private-webhooks --webhook-backoff 500ms,500ms,500ms || exit 1
tls_id=$(submit "$key" "https://127.0.0.1:$tport/ok/tls") || exit 1
wait_hook "$tls_id" "$key" failed 120 || bad "TLS without the CA: $(hook_state "$tls_id" "$key")"
jq -e '.last_error | test("certificate"; "i")' <<<"$(hook_state "$tls_id" "$key")" >/dev/null \
  && [ "$(count tls /ok/tls)" = 0 ] && ok || bad "TLS without the CA: $(hook_state "$tls_id" "$key")"
stop_server
server_wrap=(env http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9)
start_server --workers 1 --allow-private-webhooks --webhook-backoff 500ms,500ms,500ms \
  --webhook-ca-file "$tmp/pki/ca.pem" || exit 1
server_wrap=()
"$cli" webhooks redeliver "$tls_id" --data-dir "$data" >/dev/null 2>&1 || bad "redeliver of the TLS batch"
wait_hook "$tls_id" "$key" delivered 60 && [ "$(count tls /ok/tls)" = 1 ] && received tls /ok/tls | jq -e .verified >/dev/null \
  && ok || bad "TLS with --webhook-ca-file: $(hook_state "$tls_id" "$key")"
name_id=$(submit "$key" "https://localhost:$tport/ok/tls-name") || exit 1
wait_hook "$name_id" "$key" delivered 120 && [ "$(count tls /ok/tls-name)" = 1 ] && ok \
  || bad "TLS by name (localhost, certificate for DNS:localhost): $(hook_state "$name_id" "$key")"

# ---- bounded attempts: no redirect followed, the answer cut, a timeout ------------------------
hang_id=$(submit "$key" "https://127.0.0.1:$tport/hang/h") || exit 1
redir_id=$(submit "$key" "https://127.0.0.1:$tport/redirect/r") || exit 1
endless_id=$(submit "$key" "https://127.0.0.1:$tport/endless/e") || exit 1
wait_hook "$redir_id" "$key" failed 120 && jq -e '.attempts == 4 and .last_status == 302' <<<"$(hook_state "$redir_id" "$key")" >/dev/null \
  && [ "$(count tls /redirect/r)" = 4 ] && [ "$(count tls /redirected/redirect/r)" = 0 ] \
  && ok || bad "redirect: $(hook_state "$redir_id" "$key"); $(count tls /redirected/redirect/r) followed"
wait_hook "$endless_id" "$key" delivered 120 && jq -e '.attempts == 1 and .last_status == 200' <<<"$(hook_state "$endless_id" "$key")" >/dev/null \
  && ok || bad "an endless answer: $(hook_state "$endless_id" "$key")"
for i in $(seq 1 300); do [ "$(hook_state "$hang_id" "$key" | jq -r .attempts)" -ge 1 ] && break; sleep 0.2; done
jq -e '.attempts >= 1 and .last_status == null and (.last_error | test("timed out"; "i"))' <<<"$(hook_state "$hang_id" "$key")" >/dev/null \
  && ok || bad "a receiver that never answers: $(hook_state "$hang_id" "$key")"
"$cli" webhooks show "$hang_id" --data-dir "$data" | awk '$1 == "attempt" && $2 == 1 {print $4}' >"$tmp/hang.secs"
awk '{exit !($1 >= 9 && $1 < 20)}' "$tmp/hang.secs" && ok || bad "the timed-out attempt took $(cat "$tmp/hang.secs") s, want about 10"
stop_server

# ---- --webhook-proxy: the only proxy used -------------------------------------------------
start_server --workers 1 --allow-private-webhooks --webhook-ca-file "$tmp/pki/ca.pem" \
  --webhook-backoff 500ms,500ms,500ms --webhook-proxy http://127.0.0.1:9 || exit 1
proxy_id=$(submit "$key" "https://127.0.0.1:$tport/ok/proxied") || exit 1
wait_hook "$proxy_id" "$key" failed 120 && jq -e '.last_error | contains("127.0.0.1 port 9")' <<<"$(hook_state "$proxy_id" "$key")" >/dev/null \
  && [ "$(count tls /ok/proxied)" = 0 ] && ok || bad "through a dead --webhook-proxy: $(hook_state "$proxy_id" "$key")"
stop_server
"$cli" serve --data-dir "$data" --listen 127.0.0.1:0 --webhook-ca-file "$tmp/nope.pem" 2>"$tmp/ca.err" && bad "a missing CA file was accepted" \
  || { grep -q 'webhook-ca-file' "$tmp/ca.err" && ok || bad "missing CA file: $(cat "$tmp/ca.err")"; }

echo "webhook policy: $pass passed, $fail failed"
[ "$fail" = 0 ]
