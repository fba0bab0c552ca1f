#!/usr/bin/env bash
# contrib/: the systemd unit passes `systemd-analyze verify` (with ExecStart
# pointed at the docflow just built, since verify checks the binary exists),
# and the example serve.conf is read by `docflow serve --config` (every
# setting in it known to the option parser).
set -uo pipefail
top="$DF_SOURCE_DIR"
cli="$DF_CLI"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }

sed "s|^ExecStart=/usr/local/bin/docflow |ExecStart=$cli |" "$top/contrib/docflow.service" >"$tmp/docflow.service"
grep -q "^ExecStart=$cli serve --config" "$tmp/docflow.service" && ok || bad "ExecStart not found in the unit"
if systemd-analyze verify "$tmp/docflow.service" >"$tmp/verify.out" 2>&1 && ! grep -v -e 'Unknown user' \
     -e 'Failed to resolve user' -e '^$' "$tmp/verify.out" | grep -q .; then ok
else bad "systemd-analyze verify: $(cat "$tmp/verify.out")"; fi
# a broken unit must fail the same check (the check can fail)
sed 's/^Restart=on-failure/Restart=sometimes/' "$tmp/docflow.service" >"$tmp/broken.service"
systemd-analyze verify "$tmp/broken.service" >"$tmp/verify.out" 2>&1
grep -q . "$tmp/verify.out" && ok || bad "a broken unit passed verify"

# the example configuration: every setting known; the data directory it names is used
sed "s|^data-dir = .*|data-dir = $tmp/data|; s|^listen = .*|listen = 127.0.0.1:0|" "$top/contrib/serve.conf" >"$tmp/serve.conf"
"$cli" serve --config "$tmp/serve.conf" 2>"$tmp/serve.log" & pid=$!
for i in $(seq 1 600); do grep -q 'serving on' "$tmp/serve.log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
grep -q "serving on http://127.0.0.1:[0-9]* (.*data in $tmp/data)" "$tmp/serve.log" && ok || bad "serve --config contrib/serve.conf: $(cat "$tmp/serve.log")"
kill -TERM $pid 2>/dev/null; wait $pid
echo "$pass passed, $fail failed"
[ $fail = 0 ]
