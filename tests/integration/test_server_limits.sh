#!/usr/bin/env bash
# The server's limits and deployment switches, each pushed past its edge:
# header size (431), idle connections, the connection cap, a body trickled
# below the minimum rate (cut off while another client is served), 10 000
# form fields (400 at once), the per-account cap on queued files (429 with
# Retry-After), upload names that must never become paths, --config,
# the access log (no key, no signature), CORS only with --cors-origin,
# /metrics for loopback clients only, plain HTTP beyond loopback only with
# --insecure-http, and HTTPS with --tls-cert/--tls-key.
set -uo pipefail
. "$DF_SOURCE_DIR/tests/integration/server_lib.sh"

key=$(new_key starter)
auth=(-H "Authorization: Bearer $key")
alive() { [ "$(api GET /healthz "")" = 200 ] && ok || bad "$1: the server stopped answering"; }
tmp_files() { find "$data/tmp" -mindepth 1 | wc -l; }
batch_dirs() { find "$data/batches" -mindepth 1 -maxdepth 1 | wc -l; }
hostport() { sed 's|^https*://||' <<<"$url"; }

# raw.py ACTION HOST:PORT ...: socket-level clients (see each action)
cat >"$tmp/raw.py" <<'EOF'
import socket, sys, time
action, hp = sys.argv[1], sys.argv[2]
host, port = hp.rsplit(":", 1); port = int(port)
def conn():
    s = socket.create_connection((host, port), timeout=60); return s
def post_form(k, bnd, body):  # one POST /v1/batch of a raw multipart body; the whole answer
    s = conn()
    s.sendall(("POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (k, bnd, len(body))).encode() + body)
    data = b""
    while True:
        c = s.recv(65536)
        if not c: return data
        data += c
def closed_within(s, limit, t0):  # seconds from t0 until the server closed s, or -1
    s.settimeout(max(0.1, limit - (time.monotonic() - t0)))
    try:
        while True:
            if not s.recv(4096): return time.monotonic() - t0
    except ConnectionResetError: return time.monotonic() - t0
    except socket.timeout: return -1
if action == "idle":  # a silent connection and a half-sent request line
    t0 = time.monotonic(); a = conn(); b = conn(); b.sendall(b"GET /healthz HT")
    print("%.1f %.1f" % (closed_within(a, 20, t0), closed_within(b, 20, t0)))
elif action == "trickle":  # a 300 KB body at 2 KB/s: seconds until cut off, and the answer
    k = sys.argv[3]; bnd = "b0undary"
    body = (b"--" + bnd.encode() + b'\r\nContent-Disposition: form-data; name="files"; filename="slow.pdf"\r\n\r\n%PDF-1.4\n' + b"x" * 300000 + b"\r\n--" + bnd.encode() + b"--\r\n")
    s = conn(); t0 = time.monotonic()
    s.sendall(("POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n" % (k, bnd, len(body))).encode())
    sent = 0
    try:
        while sent < len(body) and time.monotonic() - t0 < 60:
            s.sendall(body[sent:sent + 1000]); sent += 1000; time.sleep(0.5)
        s.settimeout(5); got = s.recv(100)
    except OSError: got = b""
    print("%.1f %d %s" % (time.monotonic() - t0, sent, got[:12].decode(errors="replace") or "-"))
elif action == "cap":  # N held connections, then M more: how many of those got an answer
    n, m = int(sys.argv[3]), int(sys.argv[4]); held = []
    for i in range(n):
        s = conn(); s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n"); held.append(s)
    time.sleep(1)
    answered = 0
    for i in range(m):
        s = conn()
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); s.settimeout(5)
            if s.recv(100).startswith(b"HTTP/1.1 200"): answered += 1
        except OSError: pass
        s.close()
    for s in held: s.close()
    print(answered)
elif action == "fields":  # 10 000 parts of one field name; prints status and seconds
    name, k = sys.argv[3], sys.argv[4]
    bnd = "b0undary"; parts = []
    for i in range(10000):
        fn = '; filename="f%d.pdf"' % i if name == "files" else ""
        parts.append('--%s\r\nContent-Disposition: form-data; name="%s"%s\r\n\r\n%%PDF-1.4 x\r\n' % (bnd, name, fn))
    body = ("".join(parts) + "--%s--\r\n" % bnd).encode()
    t0 = time.monotonic()
    data = post_form(k, bnd, body)
    print(data.split(b" ")[1].decode(), "%.1f" % (time.monotonic() - t0))
    sys.stdout.write(data.split(b"\r\n\r\n", 1)[1].decode() + "\n")
elif action == "nulname":  # a file name with a NUL byte and control characters
    k = sys.argv[3]; bnd = "b0undary"
    body = (b"--" + bnd.encode() + b'\r\nContent-Disposition: form-data; name="files"; filename="a\x00b\x1b[31m.txt"\r\n\r\nnot a document\r\n--' + bnd.encode() + b"--\r\n")
    data = post_form(k, bnd, body)
    sys.stdout.buffer.write(data.split(b"\r\n\r\n", 1)[1])
EOF
raw() { "$py" "$tmp/raw.py" "$@"; }

# ---- headers: 16 KiB at most; ours is a JSON 431, libmicrohttpd's beyond its pool -------
start_server --workers 1 --idle-timeout 2s || exit 1
expect_error 431 headers_too_large GET /healthz "" -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)"
jq -r .error.message "$tmp/body" | grep -q 'at most 16384 are read' && ok || bad "431 message: $(cat "$tmp/body")"
[ "$(api GET /healthz "" -H "X-Big: $(head -c 15000 /dev/zero | tr '\0' a)")" = 200 ] && ok || bad "15 KB of headers refused"
[ "$(api GET /healthz "" -H "X-Big: $(head -c 100000 /dev/zero | tr '\0' a)")" = 431 ] && ok || bad "100 KB of headers not 431"
alive "after huge headers"

# ---- idle connections are closed (--idle-timeout 2s here; default 30 s) ----------------
read -r t_silent t_half <<<"$(raw idle "$(hostport)")"
awk -v a="$t_silent" -v b="$t_half" 'BEGIN { exit !(a >= 1.5 && a <= 8 && b >= 1.5 && b <= 8) }' \
  && ok || bad "idle connections closed after $t_silent s and $t_half s, want about 2"
grep -q 'close a connection idle this long (default 30s)' <<<"$("$cli" serve --help)" && ok || bad "idle default not in --help"

# ---- 10 000 form fields: 400 at once --------------------------------------------------
raw fields "$(hostport)" files "$key" >"$tmp/fields.out"
read -r st secs <"$tmp/fields.out"
[ "$st" = 400 ] && tail -n 1 "$tmp/fields.out" | jq -e '.error.code == "too_many_files"' >/dev/null \
  && awk -v s="$secs" 'BEGIN { exit !(s < 20) }' && ok || bad "10 000 files: $(head -c 300 "$tmp/fields.out")"
raw fields "$(hostport)" x "$key" >"$tmp/fields.out"
read -r st secs <"$tmp/fields.out"
[ "$st" = 400 ] && tail -n 1 "$tmp/fields.out" | jq -e '.error.code == "unknown_field"' >/dev/null \
  && ok || bad "10 000 unknown fields: $(head -c 300 "$tmp/fields.out")"
[ "$(tmp_files)" = 0 ] && [ "$(batch_dirs)" = 0 ] && ok || bad "the refused forms left files"

# ---- upload names never become paths -------------------------------------------------
mkdir -p "$tmp/n"
cp "$fx/sample-invoice.pdf" "$tmp/n/x.pdf"
st=$(cd "$tmp/n" && curl -s -o "$tmp/body" -w '%{http_code}' "${auth[@]}" -F 'files=@x.pdf;filename=../../../../tmp/escaped.pdf' "$url/v1/batch")
[ "$st" = 202 ] && [ -f "$data/batches/$(jq -r .batch_id "$tmp/body")/input/0000.pdf" ] && [ ! -e /tmp/escaped.pdf ] \
  && ok || bad "a ../ name: $st $(cat "$tmp/body")"
long=$(head -c 10000 /dev/zero | tr '\0' n)
cp "$fx/bad/notes.txt" "$tmp/n/t.txt"
st=$(cd "$tmp/n" && curl -s -o "$tmp/body" -w '%{http_code}' "${auth[@]}" -F "files=@t.txt;filename=$long.txt" "$url/v1/batch")
[ "$st" = 415 ] && jq -e '.error.message | length < 700 and test("files\\[0\\] \"n{200,255}")' "$tmp/body" >/dev/null \
  && ok || bad "a 10 KB name: $st $(head -c 400 "$tmp/body")"
raw nulname "$(hostport)" "$key" >"$tmp/nul.json"
jq -e '.error.code == "unsupported_format" and (.error.message | test("\u0000|\u001b") | not)' "$tmp/nul.json" >/dev/null \
  && ok || bad "a name with NUL and ESC: $(head -c 300 "$tmp/nul.json" | od -c | head -5)"
alive "after hostile names"
stop_server

# ---- the connection cap: 512 held, more are turned away; all back after --------------
start_server --workers 1 || exit 1
got=$(raw cap "$(hostport)" 512 5)
[ "$got" = 0 ] && ok || bad "$got of 5 connections past the cap of 512 were served"
sleep 1
alive "after the connection cap"

# ---- a trickled body is cut off; another client is served meanwhile --------------------
raw trickle "$(hostport)" "$key" >"$tmp/trickle.out" &
slow=$!
sleep 2
st=$(api POST /v1/batch "$key" -F "files=@$fx/sample-invoice.pdf")
[ "$st" = 202 ] && ok || bad "a client beside the slow one: $st"
wait "$slow"
read -r secs sent answer <"$tmp/trickle.out"
# cut at the first chunk after the 10 s grace (2 KB/s < 4 KiB/s); no answer can be sent mid-body
awk -v s="$secs" 'BEGIN { exit !(s >= 9.5 && s < 25) }' && [ "$answer" = - ] \
  && ok || bad "the 2 KB/s upload: $(cat "$tmp/trickle.out")"
grep -q 'cut off a /v1/batch upload at' "$tmp/server.$server_runs.log" && ok || bad "no log line for the cut-off upload"
sleep 0.5
[ "$(tmp_files)" = 0 ] && ok || bad "the cut-off upload left temporary files"
stop_server

# ---- the per-account cap on waiting files: 429 with Retry-After ------------------------
start_server --workers 1 --max-queued-files 3 || exit 1
png=(-F "files=@$fx/invoice.png")
[ "$(api POST /v1/batch "$key" "${png[@]}" "${png[@]}")" = 202 ] && ok || bad "the first 2 files"
before=$(batch_dirs)
curl -s -D "$tmp/h" -o "$tmp/body" "${auth[@]}" "${png[@]}" "${png[@]}" "$url/v1/batch" >/dev/null
head -n 1 "$tmp/h" | grep -q ' 429' && jq -e '.error.code == "queue_full" and (.error.message | test("at most 3"))' "$tmp/body" >/dev/null \
  && grep -qiE '^retry-after: [1-9][0-9]*' "$tmp/h" && ok || bad "over the cap: $(head -n 1 "$tmp/h") $(cat "$tmp/body")"
[ "$(batch_dirs)" = "$before" ] && [ "$(tmp_files)" = 0 ] && ok || bad "the 429 kept files"
key2=$(new_key starter)
[ "$(api POST /v1/batch "$key2" "${png[@]}" "${png[@]}")" = 202 ] && ok || bad "another account is not capped by this one's files"
stop_server

# ---- --config, the access log, CORS ---------------------------------------------------
cat >"$tmp/serve.conf" <<EOF
# a comment, then settings named as the flags
workers = 1
access-log = $tmp/access.log
cors-origin = https://app.example
quiet = false
metrics-public = false
EOF
start_server --config "$tmp/serve.conf" || exit 1
grep -q '(1 workers,' "$tmp/server.$server_runs.log" && ok || bad "--config workers not used: $(head -n 3 "$tmp/server.$server_runs.log")"
api POST /v1/batch "$key" -F "files=@$fx/sample-invoice.pdf" >/dev/null
bid=$(jq -r .batch_id "$tmp/body")
wait_complete "$bid" "$key" && ok
dl=$(jq -r .download_url "$tmp/body")
curl -s -o /dev/null "$dl"
curl -s -D "$tmp/h" -o /dev/null -H "Origin: https://app.example" "$url/healthz"
grep -qi '^access-control-allow-origin: https://app.example' "$tmp/h" && ok || bad "no CORS header for the allowed origin"
curl -s -D "$tmp/h" -o /dev/null -H "Origin: https://evil.example" "$url/healthz"
grep -qi '^access-control-allow-origin' "$tmp/h" && bad "CORS header for another origin" || ok
st=$(curl -s -D "$tmp/h" -o /dev/null -w '%{http_code}' -X OPTIONS -H "Origin: https://app.example" \
     -H "Access-Control-Request-Method: POST" "$url/v1/batch")
[ "$st" = 204 ] && grep -qi '^access-control-allow-headers: .*Authorization' "$tmp/h" && ok || bad "preflight: $st"
stop_server
jq -e -s 'length >= 4 and all(.[]; (keys - ["account"]) == ["bytes_in", "method", "ms", "route", "status", "time"])
          and any(.[]; .route == "batch_submit" and .status == 202 and .account != null and .bytes_in > 1000)
          and any(.[]; .route == "download" and .status == 200)' "$tmp/access.log" >/dev/null \
  && ok || bad "access log: $(head -n 5 "$tmp/access.log")"
sig=$(sed 's/.*signature=//' <<<"$dl")
! grep -qF -e "$key" -e "$sig" -e "${key#af_}" "$tmp/access.log" && ok || bad "the access log holds a key or a signature"
# without --cors-origin: no CORS header, OPTIONS is a method the path does not have
start_server --workers 1 || exit 1
curl -s -D "$tmp/h" -o /dev/null -H "Origin: https://app.example" "$url/healthz"
grep -qi '^access-control' "$tmp/h" && bad "CORS headers without --cors-origin" || ok
[ "$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS "$url/v1/batch")" = 405 ] && ok || bad "OPTIONS without CORS"
stop_server

# ---- beyond loopback: plain HTTP only with --insecure-http; /metrics for loopback only ---
"$cli" serve --data-dir "$data" --listen 0.0.0.0:0 2>"$tmp/open.err" >/dev/null
[ $? != 0 ] && grep -q 'clear text: give --tls-cert and --tls-key, or --insecure-http' "$tmp/open.err" \
  && ok || bad "0.0.0.0 without TLS: $(cat "$tmp/open.err")"
ext=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' | grep -v '^127\.' | head -n 1)
start_server --workers 1 --listen 0.0.0.0:0 --insecure-http || exit 1
port=${url##*:}
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")" = 200 ] && ok || bad "/metrics from loopback"
if [ -n "$ext" ]; then
  [ "$(curl -s -o "$tmp/m" -w '%{http_code}' "http://$ext:$port/metrics")" = 404 ] && ok || bad "/metrics from $ext: $(head -c 200 "$tmp/m")"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ext:$port/healthz")" = 200 ] && ok || bad "/healthz from $ext"
  stop_server
  start_server --workers 1 --listen 0.0.0.0:0 --insecure-http --metrics-public || exit 1
  port=${url##*:}
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ext:$port/metrics")" = 200 ] && ok || bad "--metrics-public"
else
  echo "note: no address beyond loopback here: /metrics from another address was not tried"
fi
stop_server

# ---- HTTPS -------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
start_server --workers 1 --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" || exit 1
[[ $url == https://* ]] && ok || bad "TLS server announced $url"
port=${url##*:}
[ "$(curl -s --cacert "$tmp/cert.pem" -o "$tmp/body" -w '%{http_code}' "https://127.0.0.1:$port/healthz")" = 200 ] \
  && ok || bad "healthz over TLS"
[ "$(curl -s --cacert "$tmp/cert.pem" -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $key" \
     -F "files=@$fx/sample-invoice.pdf" "https://127.0.0.1:$port/v1/batch")" = 202 ] \
  && jq -e '.batch_id' "$tmp/body" >/dev/null && ok || bad "submit over TLS"
api GET "/v1/batch/$(jq -r .batch_id "$tmp/body")" "$key" --cacert "$tmp/cert.pem" >/dev/null
jq -e '.download_url == null or (.download_url | startswith("https://"))' "$tmp/body" >/dev/null && ok || bad "links not https"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] && bad "plain HTTP answered on the TLS port" || ok
stop_server
"$cli" serve --data-dir "$data" --listen 127.0.0.1:0 --tls-cert "$tmp/cert.pem" 2>"$tmp/tls.err" >/dev/null
[ $? != 0 ] && grep -q -- '--tls-cert and --tls-key go together' "$tmp/tls.err" && ok || bad "cert without key: $(cat "$tmp/tls.err")"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
