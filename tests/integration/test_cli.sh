#!/usr/bin/env bash
# The docflow CLI as a user runs it: exit codes, usage errors, and one call over
# every fixture (good and bad mixed) that keeps order and isolates failures.
set -uo pipefail
cli="$DF_CLI"
fx="$DF_SOURCE_DIR/fixtures"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
expect_status() { # want, description, command...
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  [ "$got" = "$want" ] && ok || bad "$what: exit $got, want $want ($(head -c 300 "$tmp/err"))"
}

expect_status 0 "--version" "$cli" --version
grep -q '^docflow [0-9]' "$tmp/out" && ok || bad "--version output"
expect_status 0 "--help" "$cli" --help
grep -q 'usage: docflow extract' "$tmp/out" && ok || bad "--help output"
expect_status 2 "no arguments" "$cli"
expect_status 2 "unknown command" "$cli" frobnicate
expect_status 2 "extract without files" "$cli" extract
grep -q 'needs at least one FILE' "$tmp/err" && ok || bad "usage message"
expect_status 2 "unknown option" "$cli" extract --bogus "$fx/sample-invoice.pdf"
expect_status 2 "non-numeric limit" "$cli" extract --max-pages abc "$fx/sample-invoice.pdf"
expect_status 2 "bad --lang" "$cli" extract --lang "eng+" "$fx/sample-invoice.pdf"

# The keys of a result, without the per-document ones (fields, error).
shape='[keys - ["error"], (.extraction | keys - ["fields"]), (.extraction | .vendor, .customer,
        .document_meta, .financial, .financial.totals | keys), (.validation | keys)]'
good_shape=$("$cli" extract "$fx/sample-invoice.pdf" | jq -c ".[0] | $shape")

# One call over every fixture, good and bad interleaved as listed.
files=(); kinds=(); expects=()
while IFS=$'\t' read -r path kind expect; do
  case "$path" in ''|\#*) continue ;; esac
  files+=("$fx/$path"); kinds+=("$kind"); expects+=("$expect")
done < "$fx/expected.tsv"
files+=("$tmp/missing.pdf"); kinds+=(bad); expects+=(file_not_found)
head -c $((10*1024*1024 + 1)) /dev/zero > "$tmp/large.pdf"
files+=("$tmp/large.pdf"); kinds+=(bad); expects+=(file_too_large)

"$cli" extract "${files[@]}" >"$tmp/all.json" 2>"$tmp/all.err"; st=$?
[ $st = 1 ] && ok || bad "mixed run exit $st, want 1"
jq -e 'type == "array"' "$tmp/all.json" >/dev/null && ok || bad "output is not a JSON array"
n=$(jq length "$tmp/all.json")
[ "$n" = "${#files[@]}" ] && ok || bad "got $n results for ${#files[@]} files"
for i in "${!files[@]}"; do
  r=$(jq -c ".[$i]" "$tmp/all.json")
  [ "$(jq -r .file_index <<<"$r")" = "$i" ] || { bad "file_index $i"; continue; }
  [ "$(jq -r .file_key <<<"$r")" = "${files[$i]}" ] || { bad "file_key $i"; continue; }
  if [ "${kinds[$i]}" = good ]; then
    pages=$(sed -n 's/.*pages=\([0-9]*\).*/\1/p' <<<"${expects[$i]}")
    fmt=$(sed -n 's/.*format=\([a-z]*\).*/\1/p' <<<"${expects[$i]}")
    [ "$(jq -r '.error // "none"' <<<"$r")" = none ] || { bad "${files[$i]}: $(jq -c .error <<<"$r")"; continue; }
    [ "$(jq '.pages | length' <<<"$r")" = "$pages" ] || { bad "${files[$i]}: pages"; continue; }
    [ "$(jq -r .format <<<"$r")" = "$fmt" ] || { bad "${files[$i]}: format $(jq -r .format <<<"$r") want $fmt"; continue; }
    jq -e '.pages | all(.width > 0 and .height > 0)' <<<"$r" >/dev/null || { bad "${files[$i]}: page size"; continue; }
    ok
  else
    code=$(jq -r '.error.code' <<<"$r")
    [ "$code" = "${expects[$i]}" ] || { bad "${files[$i]}: code $code want ${expects[$i]}"; continue; }
    # the same shape as a success, empty: code written for the hosted API reads
    # extraction.document_type and confidence_score of every result
    jq -e '.extraction.document_type == "other" and .extraction.document_category == "other"
           and .extraction.confidence_score == 0 and .extraction.financial.line_items == []
           and (.extraction.financial.totals | length > 0 and all(.[]; . == null))
           and (.extraction.vendor | all(.[]; . == null)) and .extraction.fields == {}
           and .validation == {"math_valid": false, "errors": [], "warnings": []}
           and .tokens_used == 0 and .pages == []' <<<"$r" >/dev/null \
      || { bad "${files[$i]}: failed result shape"; continue; }
    # and exactly the keys of a success
    [ "$(jq -c "$shape" <<<"$r")" = "$good_shape" ] \
      || { bad "${files[$i]}: failed result keys $(jq -c "$shape" <<<"$r") differ from a success's"; continue; }
    [[ "$(jq -r .error.message <<<"$r")" == "${files[$i]}: "* ]] || { bad "${files[$i]}: message does not name the file"; continue; }
    ok
  fi
done

# Only good files: exit 0 and a valid array (a few cheap ones: every good
# file was already checked above, this is about the exit status).
goods=("$fx/sample-invoice.pdf" "$fx/invoice-2page.pdf" "$fx/bmp-1bit.bmp")
expect_status 0 "all-good run" "$cli" extract "${goods[@]}"
jq -e "length == ${#goods[@]}" "$tmp/out" >/dev/null && ok || bad "all-good output"
# --pretty is still one valid array
expect_status 0 "--pretty" "$cli" extract --pretty "$fx/sample-invoice.pdf"
jq -e '.[0].pages[0].has_text_layer == true' "$tmp/out" >/dev/null && ok || bad "--pretty output"
# limits from the command line
expect_status 1 "--max-pages" "$cli" extract --max-pages 1 "$fx/invoice-multipage.tif"
jq -e '.[0].error.code == "too_many_pages"' "$tmp/out" >/dev/null && ok || bad "--max-pages code"
# the document budget (tests/unit/test_budget.c makes it run out)
expect_status 0 "--max-seconds" "$cli" extract --max-seconds 60 "$fx/sample-invoice.pdf"
expect_status 2 "--max-seconds 0" "$cli" extract --max-seconds 0 "$fx/sample-invoice.pdf"
grep -q -- '--max-seconds needs a positive integer' "$tmp/err" && ok || bad "--max-seconds message"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
