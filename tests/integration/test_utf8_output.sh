#!/usr/bin/env bash
# Output is valid UTF-8 whatever the input (issue 17): one PDF whose footer
# has emoji once made every strict parser reject a whole batch's output.
# Each output here goes through Debian's Python (bytes decoded as UTF-8, then
# json.loads: both refuse anything ill-formed) and through jq.
set -uo pipefail
cli="$DF_CLI"
fx="$DF_SOURCE_DIR/fixtures"
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
[ -x "$py" ] || { echo "FAIL: $py missing: run scripts/install-deps --test"; exit 1; }

# strict_json FILE: one JSON document, strictly UTF-8
strict_json() {
  "$py" -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$1" \
    2>"$tmp/why" && jq -e . "$1" >/dev/null 2>>"$tmp/why"
}
# strict_ndjson FILE: one JSON document a line
strict_ndjson() {
  "$py" -c '
import json,sys
for line in open(sys.argv[1],"rb").read().decode("utf-8").splitlines():
    json.loads(line)' "$1" 2>"$tmp/why" && jq -e . "$1" >/dev/null 2>>"$tmp/why"
}
# strict_text FILE: any text, strictly UTF-8
strict_text() {
  "$py" -c 'import sys; open(sys.argv[1],"rb").read().decode("utf-8")' "$1" 2>"$tmp/why"
}
why() { tail -n 1 "$tmp/why"; }

# ---- a text layer with characters outside the BMP --------------------------
emoji="$fx/invoice-emoji.pdf"
"$cli" extract "$emoji" >"$tmp/emoji.json" 2>"$tmp/err"
strict_json "$tmp/emoji.json" && ok || bad "extract invoice-emoji.pdf: $(why)"
[ "$(jq -r '.[0].extraction.vendor.name' "$tmp/emoji.json")" = "Le Comptoir 𠮷野家 SARL" ] \
  && ok || bad "vendor name: $(jq -r '.[0].extraction.vendor.name' "$tmp/emoji.json")"
[ "$(jq -r '.[0].extraction.financial.line_items[0].description' "$tmp/emoji.json")" \
  = "🍣️ Sushi set 東京" ] && ok || bad "item description"
"$cli" extract --pretty "$emoji" >"$tmp/pretty.json" 2>/dev/null
strict_json "$tmp/pretty.json" && ok || bad "--pretty: $(why)"
"$cli" extract --text "$emoji" >"$tmp/emoji.txt" 2>/dev/null
strict_text "$tmp/emoji.txt" && ok || bad "--text: $(why)"
grep -qF '📞️ +33 1 23 45 67 89 🌐️ www.comptoir.example 🇫🇷' "$tmp/emoji.txt" \
  && ok || bad "--text footer: $(tail -n 1 "$tmp/emoji.txt")"
# the issue's case: that document in one call with others loses nothing
"$cli" batch --quiet --jobs 2 "$fx/sample-invoice.pdf" "$emoji" "$fx/invoice-2page.pdf" \
  >"$tmp/batch.json" 2>/dev/null
strict_json "$tmp/batch.json" && ok || bad "batch: $(why)"
[ "$(jq '[.[] | select(.error == null)] | length' "$tmp/batch.json")" = 3 ] \
  && ok || bad "batch: not 3 results without error"
"$cli" batch --quiet --ndjson "$fx/sample-invoice.pdf" "$emoji" >"$tmp/batch.ndjson" 2>/dev/null
strict_ndjson "$tmp/batch.ndjson" && ok || bad "--ndjson: $(why)"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
