#!/usr/bin/env bash
# docs/openapi.yaml against the real server. (1) Redocly CLI (pinned in tools/openapi/, installed
# here with `npm ci --ignore-scripts` into the build folder; rules in tools/openapi/redocly.yaml)
# lints the description. (2) The real server, started as the other server tests start it, is
# driven to every documented status of every operation (and, where it can be done, to 507), and
# to every error code each response lists; every answer is recorded and openapi_check.py checks it
# with python3-jsonschema: status documented, Content-Type, body against its schema with every
# object closed, the error code among the response's, required headers there and no header that
# is not documented. (3) Coverage: every (method, path, status) the description documents but 500
# and 507 was reached (pairs reached only by a unit test are listed in openapi_check.py), every
# listed error code, every documented property in some answer, exactly the documented metric
# families. A server that delivers webhooks (`--allow-private-webhooks` in its --help) also
# delivers one to a receiver here, checked against the description's `webhooks`.
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"

spec="$DF_SOURCE_DIR/docs/openapi.yaml"
tools="$DF_SOURCE_DIR/tools/openapi"

# ---- 1. the description is valid OpenAPI 3.1 (Redocly CLI) ---------------------------------
# @redocly/cli 1.34 needs Node.js >= 18.17: Debian bookworm's own nodejs (18.20) has it, and so
# has the NodeSource nodejs 20 of the project's machines (2.x would need >= 20.19).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  bad "node and npm are needed for Redocly CLI (scripts/install-deps --test)"
elif ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
                process.exit(a > 18 || (a === 18 && b >= 17) ? 0 : 1)'; then
  bad "Node.js $(node --version) is too old for @redocly/cli 1.34 (>= 18.17)"
else
  nm="$DF_BINARY_DIR/openapi-node"
  mkdir -p "$nm"
  if ! cmp -s "$tools/package-lock.json" "$nm/package-lock.json" || [ ! -x "$nm/node_modules/.bin/redocly" ]; then
    cp "$tools/package.json" "$tools/package-lock.json" "$nm/"
    (cd "$nm" && npm ci --ignore-scripts --no-audit --no-fund) >"$tmp/npm.log" 2>&1 \
      || bad "npm ci of tools/openapi failed: $(tail -n 5 "$tmp/npm.log")"
  fi
  if [ -x "$nm/node_modules/.bin/redocly" ]; then
    if (cd "$DF_SOURCE_DIR" && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
          "$nm/node_modules/.bin/redocly" lint --config tools/openapi/redocly.yaml docs/openapi.yaml) \
          >"$tmp/lint.log" 2>&1; then ok
    else bad "redocly lint docs/openapi.yaml: $(grep -v '[║╔╚]' "$tmp/lint.log" | head -n 40)"; fi
  fi
fi
"$py" -c 'import jsonschema, yaml' 2>/dev/null && ok \
  || { bad "python3-jsonschema and python3-yaml are needed (scripts/install-deps --test)"; exit 1; }

# ---- 2. the answers -----------------------------------------------------------------------
ans="$tmp/answers"
mkdir -p "$ans/webhooks"
: >"$ans/index"
n=0
base=""
# rec METHOD TARGET STATUS CODE PATH [curl args...]: one request, recorded for openapi_check.py.
# TARGET is the description's path template, or component:NAME; STATUS and CODE ("-": none) are
# what the scenario must reach. The request goes to $base (default: the server's $url).
rec() {
  local method=$1 target=$2 want=$3 code=$4 path=$5; shift 5
  n=$((n + 1))
  if [ "$method" = HEAD ]; then
    curl -s -I -o /dev/null -D "$ans/$n.head" "$@" "${base:-$url}$path" >/dev/null
    : >"$ans/$n.body"
  else
    curl -s -o "$ans/$n.body" -D "$ans/$n.head" -X "$method" "$@" "${base:-$url}$path" >/dev/null
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$method" "$target" "$want" "$code" >>"$ans/index"
}
status_of() { sed -n 's/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$ans/$n.head" | tail -n 1; }

key=$(new_key starter)
free_key=$(new_key free)
other_key=$(new_key growth)
revoked=$("$cli" keys create --plan growth --data-dir "$data" 2>/dev/null)
rkey=$(awk '$1 == "api_key:" {print $2}' <<<"$revoked")
"$cli" keys revoke "$(awk '$1 == "key_id:" {print $2}' <<<"$revoked")" --data-dir "$data" >/dev/null 2>&1
A=(-H "Authorization: Bearer $key")
nokey="af_$(printf '0%.0s' $(seq 64))"
big_header=(-H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)")

cp "$fx/sample-invoice.pdf" "$tmp/a.pdf"
cp "$fx/layouts/docs/eu_service_03.pdf" "$tmp/eu.pdf"       # a validation error: its total is 90.00 off its parts
cp "$fx/invoice-png-named.pdf" "$tmp/scan.pdf"               # OCR; a validation warning
cp "$fx/bad/corrupt.pdf" "$tmp/corrupt.pdf"                  # a failed file's result
cp "$fx/invoice-nodpi.png" "$tmp/nodpi.png"                  # a page without dpi (nulls)
printf 'just some notes\n' >"$tmp/notes.txt"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$tmp/big.pdf"
printf '%%PDF-1.4\n' | dd of="$tmp/big.pdf" conv=notrunc status=none
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$tmp/2mb"
cat "$tmp/a.pdf" "$tmp/2mb" >"$tmp/two.pdf"
f101=(); for i in $(seq 1 101); do f101+=(-F "files=@$tmp/a.pdf"); done
form() { # form FILE FIELD VALUE-BYTES...: a multipart body (boundary XX), the field first, then a.pdf
  local out=$1 field=$2; shift 2
  { printf -- '--XX\r\nContent-Disposition: form-data; name="%s"\r\n\r\n' "$field"; printf "$@"
    printf -- '\r\n--XX\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n'
    cat "$tmp/a.pdf"; printf -- '\r\n--XX--\r\n'; } >"$out"
}
form "$tmp/nul.form" callback_id 'a\0b'
form "$tmp/latin1.form" callback_id 'caf\351'
mp=(-H 'Content-Type: multipart/form-data; boundary=XX')

# Webhooks: a server that delivers them gets a receiver here (loopback, plain HTTP: allowed by
# its flags); one that does not only stores the URL.
hooks=0
serve_flags=()
if grep -q -- --allow-private-webhooks <<<"$("$cli" serve --help 2>&1)"; then
  hooks=1
  serve_flags=(--allow-private-webhooks --allow-http-webhooks)
  cat >"$tmp/receiver.py" <<'EOF'
import base64, http.server, json, os, sys
out = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        n = len(os.listdir(out)) + 1
        with open(os.path.join(out, "%03d.json" % n), "w") as f:
            json.dump({"headers": dict(self.headers.items()), "body": base64.b64encode(body).decode()}, f)
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
EOF
  "$py" "$tmp/receiver.py" "$ans/webhooks" >"$tmp/receiver.port" &
  receiver_pid=$!
  trap 'kill "$receiver_pid" 2>/dev/null; cleanup_server; rm -rf "$tmp"' EXIT
  for i in $(seq 1 50); do [ -s "$tmp/receiver.port" ] && break; sleep 0.1; done
  hook_url="http://127.0.0.1:$(cat "$tmp/receiver.port")/hook"
else
  hook_url="http://127.0.0.1:9/hook"
fi

# ---- the main server: loopback, no CORS -------------------------------------------------------
start_server --workers 2 "${serve_flags[@]}" || exit 1

rec GET /healthz 200 - /healthz
rec HEAD /healthz 200 - /healthz
rec GET /healthz 431 headers_too_large /healthz "${big_header[@]}"

# a batch: a born-digital invoice, one with a validation error, a scan with a warning, a corrupt
# file, an image that states no resolution
rec POST /v1/batch 202 - /v1/batch "${A[@]}" -F "files=@$tmp/a.pdf" -F "files=@$tmp/eu.pdf" \
  -F "files=@$tmp/scan.pdf" -F "files=@$tmp/corrupt.pdf" -F "files=@$tmp/nodpi.png" \
  -F callback_id=order_123 -F "webhook_url=$hook_url"
id=$(jq -r .batch_id "$ans/$n.body")
rec GET /v1/batch/{batch_id} 200 - "/v1/batch/$id" "${A[@]}" # queued or processing
# retries under an Idempotency-Key: the first answer again; another form: 409
ik="openapi-$RANDOM-$$"
rec POST /v1/batch 202 - /v1/batch "${A[@]}" -H "Idempotency-Key: $ik" -F "files=@$tmp/a.pdf"
rec POST /v1/batch 202 - /v1/batch "${A[@]}" -H "Idempotency-Key: $ik" -F "files=@$tmp/a.pdf"
rec POST /v1/batch 409 idempotency_key_reused /v1/batch "${A[@]}" -H "Idempotency-Key: $ik" -F "files=@$tmp/eu.pdf"
rec POST /v1/batch 400 invalid_idempotency_key /v1/batch "${A[@]}" -H "Idempotency-Key: $(printf 'k%.0s' $(seq 256))" -F "files=@$tmp/a.pdf"
# every refusal of the form
rec POST /v1/batch 400 not_multipart /v1/batch "${A[@]}" -H 'Content-Type: application/json' -d '{}'
rec POST /v1/batch 400 malformed_multipart /v1/batch "${A[@]}" -H 'Content-Type: multipart/form-data' --data-binary x
rec POST /v1/batch 400 no_files /v1/batch "${A[@]}" -F callback_id=x
rec POST /v1/batch 400 too_many_files /v1/batch "${A[@]}" "${f101[@]}"
rec POST /v1/batch 400 unknown_field /v1/batch "${A[@]}" -F "files=@$tmp/a.pdf" -F foo=bar
rec POST /v1/batch 400 duplicate_field /v1/batch "${A[@]}" -F "files=@$tmp/a.pdf" -F callback_id=a -F callback_id=b
rec POST /v1/batch 400 field_too_long /v1/batch "${A[@]}" -F "files=@$tmp/a.pdf" -F "callback_id=$(printf 'x%.0s' $(seq 257))"
rec POST /v1/batch 400 invalid_field /v1/batch "${A[@]}" "${mp[@]}" --data-binary "@$tmp/nul.form"
rec POST /v1/batch 400 invalid_field /v1/batch "${A[@]}" "${mp[@]}" --data-binary "@$tmp/latin1.form"
rec POST /v1/batch 400 invalid_webhook_url /v1/batch "${A[@]}" -F "files=@$tmp/a.pdf" -F "webhook_url=yourserver.com/webhook"
rec POST /v1/batch 401 missing_api_key /v1/batch -F "files=@$tmp/a.pdf"
rec POST /v1/batch 401 invalid_api_key /v1/batch -H "Authorization: Bearer $nokey" -F "files=@$tmp/a.pdf"
rec POST /v1/batch 401 revoked_api_key /v1/batch -H "Authorization: Bearer $rkey" -F "files=@$tmp/a.pdf"
rec POST /v1/batch 403 plan_required /v1/batch -H "Authorization: Bearer $free_key" -F "files=@$tmp/a.pdf"
rec POST /v1/batch 413 file_too_large /v1/batch "${A[@]}" -F "files=@$tmp/a.pdf" -F "files=@$tmp/big.pdf"
rec POST /v1/batch 413 request_too_large /v1/batch "${A[@]}" "${mp[@]}" -H 'Content-Length: 2000000000' --data-binary x
rec POST /v1/batch 415 unsupported_format /v1/batch "${A[@]}" -F "files=@$tmp/a.pdf" -F "files=@$tmp/notes.txt"
rec POST /v1/batch 431 headers_too_large /v1/batch "${A[@]}" "${big_header[@]}" -F "files=@$tmp/a.pdf"

# POST /v1/extract: a result, a failed file's result, every refusal
rec POST /v1/extract 200 - /v1/extract -H "Authorization: Bearer $free_key" -F "file=@$tmp/a.pdf"
rec POST /v1/extract 200 - /v1/extract "${A[@]}" -F "file=@$tmp/corrupt.pdf"
rec POST /v1/extract 400 not_multipart /v1/extract "${A[@]}" -H 'Content-Type: application/json' -d '{}'
rec POST /v1/extract 400 malformed_multipart /v1/extract "${A[@]}" -H 'Content-Type: multipart/form-data' --data-binary x
rec POST /v1/extract 400 no_file /v1/extract "${A[@]}" "${mp[@]}" --data-binary $'--XX--\r\n'
rec POST /v1/extract 400 too_many_files /v1/extract "${A[@]}" -F "file=@$tmp/a.pdf" -F "file=@$tmp/a.pdf"
rec POST /v1/extract 400 unknown_field /v1/extract "${A[@]}" -F "file=@$tmp/a.pdf" -F callback_id=x
rec POST /v1/extract 401 missing_api_key /v1/extract -F "file=@$tmp/a.pdf"
rec POST /v1/extract 401 invalid_api_key /v1/extract -H "Authorization: Bearer $nokey" -F "file=@$tmp/a.pdf"
rec POST /v1/extract 401 revoked_api_key /v1/extract -H "Authorization: Bearer $rkey" -F "file=@$tmp/a.pdf"
rec POST /v1/extract 413 file_too_large /v1/extract "${A[@]}" -F "file=@$tmp/big.pdf"
rec POST /v1/extract 413 request_too_large /v1/extract "${A[@]}" "${mp[@]}" -H 'Content-Length: 2000000000' --data-binary x
rec POST /v1/extract 415 unsupported_format /v1/extract "${A[@]}" -F "file=@$tmp/notes.txt"
rec POST /v1/extract 431 headers_too_large /v1/extract "${A[@]}" "${big_header[@]}" -F "file=@$tmp/a.pdf"

# the status, once complete, and its download link
wait_complete "$id" "$key" || exit 1
if [ $hooks = 1 ]; then # the delivery's outcome in the status
  for i in $(seq 1 100); do
    api GET "/v1/batch/$id" "$key" >/dev/null
    [ "$(jq -r '.webhook.state' "$tmp/body")" = delivered ] && break; sleep 0.1
  done
fi
rec GET /v1/batch/{batch_id} 200 - "/v1/batch/$id" "${A[@]}"
dl=$(jq -r .download_url "$ans/$n.body")
dl_path=${dl#"$url"}
rec HEAD /v1/batch/{batch_id} 200 - "/v1/batch/$id" "${A[@]}"
rec GET /v1/batch/{batch_id} 401 missing_api_key "/v1/batch/$id"
rec GET /v1/batch/{batch_id} 401 invalid_api_key "/v1/batch/$id" -H "Authorization: Bearer $nokey"
rec GET /v1/batch/{batch_id} 401 revoked_api_key "/v1/batch/$id" -H "Authorization: Bearer $rkey"
rec GET /v1/batch/{batch_id} 404 batch_not_found "/v1/batch/$id" -H "Authorization: Bearer $other_key"
rec GET /v1/batch/{batch_id} 404 batch_not_found /v1/batch/not-a-batch-id "${A[@]}"
rec GET /v1/batch/{batch_id} 431 headers_too_large "/v1/batch/$id" "${A[@]}" "${big_header[@]}"
rec GET /downloads/{batch_id} 200 - "$dl_path"
rec HEAD /downloads/{batch_id} 200 - "$dl_path"
forged=$(sed 's/.*signature=//' <<<"$dl" | tr '0-9a-f' '1-9a-f0')
rec GET /downloads/{batch_id} 403 invalid_signature "${dl_path%signature=*}signature=$forged"
rec GET /downloads/{batch_id} 431 headers_too_large "$dl_path" "${big_header[@]}"

# no CORS: OPTIONS is a method no path takes; other answers of no operation
for p in /v1/batch "/v1/batch/$id" "$dl_path" /v1/extract /healthz /metrics; do
  case $p in /v1/batch/*) t=/v1/batch/{batch_id} ;; /downloads/*) t=/downloads/{batch_id} ;; *) t=$p ;; esac
  rec OPTIONS "$t" 405 method_not_allowed "$p"
  rec OPTIONS "$t" 431 headers_too_large "$p" "${big_header[@]}"
done
rec DELETE component:MethodNotAllowed 405 method_not_allowed "/v1/batch/$id" "${A[@]}"
rec GET component:MethodNotAllowed 405 method_not_allowed /v1/batch "${A[@]}"
rec GET component:NotFound 404 not_found /v1/nothing "${A[@]}"

rec GET /metrics 200 - /metrics
rec HEAD /metrics 200 - /metrics
rec GET /metrics 431 headers_too_large /metrics "${big_header[@]}"
[ $hooks = 0 ] || [ -n "$(ls "$ans/webhooks")" ] || bad "no webhook delivery reached the receiver"
stop_server

# ---- retention over (410, link_expired); the per-account cap (429 with Retry-After) ----------
start_server --workers 1 --retention 1s --max-queued-files 1 "${serve_flags[@]}" || exit 1
for i in $(seq 1 100); do [ "$(api GET "/v1/batch/$id" "$key")" = 410 ] && break; sleep 0.1; done
rec GET /v1/batch/{batch_id} 410 batch_expired "/v1/batch/$id" "${A[@]}"
rec GET /downloads/{batch_id} 403 link_expired "$dl_path" # the first server's link: its batch is gone
capped=$(new_key starter)
rec POST /v1/batch 429 queue_full /v1/batch -H "Authorization: Bearer $capped" -F "files=@$tmp/a.pdf" -F "files=@$tmp/a.pdf"
stop_server

# ---- CORS, and a client beyond loopback ---------------------------------------------------
start_server --workers 1 --listen 0.0.0.0:0 --insecure-http --cors-origin https://app.example \
  "${serve_flags[@]}" || exit 1
url="http://127.0.0.1:${url##*:}"
origin=(-H "Origin: https://app.example")
for p in /v1/batch "/v1/batch/$id" "$dl_path" /v1/extract /healthz /metrics; do
  case $p in /v1/batch/*) t=/v1/batch/{batch_id} ;; /downloads/*) t=/downloads/{batch_id} ;; *) t=$p ;; esac
  rec OPTIONS "$t" 204 - "$p" "${origin[@]}" -H "Access-Control-Request-Method: GET"
done
rec GET /healthz 200 - /healthz "${origin[@]}"
rec POST /v1/batch 401 missing_api_key /v1/batch "${origin[@]}" -F "files=@$tmp/a.pdf"
ext=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' | grep -v '^127\.' | head -n 1)
if [ -n "$ext" ]; then
  base="http://$ext:${url##*:}"
  rec GET /metrics 404 not_found /metrics
  base=""
else
  bad "no IPv4 address beyond loopback (hostname -I): GET /metrics 404 cannot be reached"
fi
stop_server

# ---- stopping: a synchronous extract waiting for the one busy worker gets 503 ---------------
start_server --workers 1 "${serve_flags[@]}" || exit 1
busy=$(new_key starter)
busy_batch "$busy"
rec POST /v1/extract 503 shutting_down /v1/extract "${A[@]}" -F "file=@$tmp/a.pdf" &
sync_pid=$!
sleep 1 # the upload is stored; the extract waits for the worker
stop_server
wait "$sync_pid"
n=$(wc -l <"$ans/index")

# ---- a full disk (507; not required by the coverage), where a mount namespace can be made ----
if [ ${#mount_ns[@]} -gt 0 ]; then
  server_wrap=("${mount_ns[@]}" sh -c 'mount -t tmpfs -o size=1m docflow-full "$0/tmp" && exec "$@"' "$data")
  start_server --workers 1 "${serve_flags[@]}" || exit 1
  server_wrap=()
  rec POST /v1/batch 507 insufficient_storage /v1/batch "${A[@]}" -F "files=@$tmp/a.pdf" -F "files=@$tmp/two.pdf"
  rec POST /v1/extract 507 insufficient_storage /v1/extract "${A[@]}" -F "file=@$tmp/two.pdf"
  stop_server
else
  echo "note: no mount namespace here: 507 was not tried"
fi

# ---- 3. every answer against the description; coverage -------------------------------------
check=()
[ $hooks = 1 ] || check+=(--no-webhooks)
if "$py" "$here/openapi_check.py" "$spec" "$ans" "${check[@]}"; then ok; else bad "answers differ from docs/openapi.yaml (above)"; fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
