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

# ---- file names that are not UTF-8 (legal on Linux) -------------------------
# Read by their own bytes; file_key, messages and --text headers show them
# with U+FFFD per ill-formed part (docs/result-schema.md, file_key).
d="$tmp/names"; mkdir "$d"
ff=$'\xff' e9=$'\xe9'          # bytes that are not UTF-8 on their own
weird=$'inv\xff\xfe-\xc3(.pdf'   # shown as inv��-�(.pdf
latin1=$'caf\xe9.pdf'            # a Latin-1 name: caf�.pdf
missing=$'gon\xe9.pdf'
cp "$fx/sample-invoice.pdf" "$d/$weird"
cp "$emoji" "$d/$latin1"
"$cli" extract "$d/$weird" "$d/$latin1" "$d/$missing" >"$tmp/names.json" 2>"$tmp/names.err"
st=$?
[ $st = 1 ] && ok || bad "names: exit $st, want 1 (the missing file fails)"
strict_json "$tmp/names.json" && ok || bad "names: $(why)"
strict_text "$tmp/names.err" && ok || bad "names: stderr: $(why)"
"$py" - "$d" "$tmp/names.json" <<'EOF' 2>"$tmp/why" && ok || bad "names: $(why)"
import json, sys
d, out = sys.argv[1], json.loads(open(sys.argv[2], "rb").read().decode("utf-8"))
want = [d + "/inv\ufffd\ufffd-\ufffd(.pdf", d + "/caf\ufffd.pdf", d + "/gon\ufffd.pdf"]
assert [r["file_key"] for r in out] == want, [r["file_key"] for r in out]
assert out[0].get("error") is None and out[1].get("error") is None, "a weird name was not read"
assert out[0]["extraction"]["financial"]["totals"]["grand_total"] == 46610
assert out[1]["extraction"]["vendor"]["name"] == "Le Comptoir \U00020bb7野家 SARL"
assert out[2]["error"]["code"] == "file_not_found"
assert out[2]["error"]["message"].startswith(want[2] + ": "), out[2]["error"]["message"]
EOF
grep -qF "docflow: $d/gon�.pdf: cannot open the file" "$tmp/names.err" \
  && ok || bad "names: stderr does not name the file: $(cat "$tmp/names.err")"
"$cli" extract --text "$d/$weird" >"$tmp/names.txt" 2>/dev/null
strict_text "$tmp/names.txt" && ok || bad "names --text: $(why)"
grep -qxF "==> $d/inv��-�(.pdf <==" "$tmp/names.txt" && ok || bad "names --text header"
# a directory: expanded by the names' bytes, every output strict
"$cli" batch --quiet "$d" >"$tmp/dir.json" 2>/dev/null
strict_json "$tmp/dir.json" && ok || bad "batch DIR: $(why)"
[ "$(jq '[.[] | select(.error == null)] | length' "$tmp/dir.json")" = 2 ] \
  && ok || bad "batch DIR: not both files read"
"$cli" batch --quiet --ndjson "$d" >"$tmp/dir.ndjson" 2>/dev/null
strict_ndjson "$tmp/dir.ndjson" && ok || bad "batch DIR --ndjson: $(why)"
# --out to a name that is not UTF-8: written under that name
"$cli" extract --out "$d/out$ff.json" "$d/$latin1" 2>/dev/null
strict_json "$d/out$ff.json" && ok || bad "--out: $(why)"
# messages that quote a path or an argument
mkdir "$tmp/empty$ff"
"$cli" batch --quiet "$tmp/empty$ff" >/dev/null 2>"$tmp/e1"
"$cli" extract --out "$tmp/no${ff}dir/x.json" "$d/$latin1" >/dev/null 2>"$tmp/e2"
"$cli" extract --max-pages $'\xff' "$d/$latin1" >/dev/null 2>"$tmp/e3"
"$cli" extract $'--l\xe9ng' "$d/$latin1" >/dev/null 2>"$tmp/e4"
"$cli" $'extr\xe4ct' >/dev/null 2>"$tmp/e5"
for e in e1 e2 e3 e4 e5; do
  [ -s "$tmp/$e" ] && strict_text "$tmp/$e" && ok || bad "message $e: $(why) $(cat "$tmp/$e")"
done
grep -qF "empty�: no supported files" "$tmp/e1" && ok || bad "e1: $(cat "$tmp/e1")"
grep -qF "unknown option '--l�ng'" "$tmp/e4" && ok || bad "e4: $(cat "$tmp/e4")"
# eval quotes its folder and documents in its report and in --json
mkdir -p "$tmp/f$e9/docs" "$tmp/f$e9/truth"
cp "$fx/sample-invoice.pdf" "$tmp/f$e9/docs/b$e9.pdf"
echo '{"vendor": {"name": "Wrong Vendor Ltd"}}' >"$tmp/f$e9/truth/b$e9.pdf.json"
"$cli" eval --mismatches --json "$tmp/eval.json" "$tmp/f$e9" >"$tmp/eval.txt" 2>"$tmp/eval.err"
strict_json "$tmp/eval.json" && ok || bad "eval --json: $(why)"
strict_text "$tmp/eval.txt" && strict_text "$tmp/eval.err" && ok || bad "eval report: $(why)"
grep -qF 'b�.pdf vendor.name: expected "Wrong Vendor Ltd"' "$tmp/eval.txt" \
  && ok || bad "eval: no mismatch line naming b�.pdf"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
