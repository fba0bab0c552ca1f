#!/usr/bin/env bash
# `docflow batch` (and `extract`, which shares its code path) as a user runs
# it: input order kept whatever the number of workers, directory expansion,
# --ndjson, --out, progress on stderr, usage errors and Ctrl-C.
set -uo pipefail
set -m # background jobs get their own process group and a default SIGINT
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

# ---- mixed good and bad: the quick fixtures (text-layer PDFs, one tiny BMP,
# every bad file) plus a missing path, in the order of expected.tsv.
files=(); kinds=(); expects=()
while IFS=$'\t' read -r path kind expect; do
  case "$path" in ''|\#*) continue ;; esac
  case "$kind:$path:$expect" in
    bad:*|good:*.pdf:*text_layer=1*|good:bmp-1bit.bmp:*) ;;
    *) continue ;;
  esac
  files+=("$fx/$path"); kinds+=("$kind"); expects+=("$expect")
done < "$fx/expected.tsv"
files+=("$tmp/missing.pdf"); kinds+=(bad); expects+=(file_not_found)
[ "${#files[@]}" -ge 20 ] && ok || bad "expected.tsv gave only ${#files[@]} files"

DOCFLOW_PROGRESS_SECONDS=0 "$cli" batch --jobs 2 "${files[@]}" >"$tmp/j2.json" 2>"$tmp/j2.err"; st=$?
[ $st = 1 ] && ok || bad "mixed batch exit $st, want 1 ($(head -c 300 "$tmp/j2.err"))"
jq -e "type == \"array\" and length == ${#files[@]}" "$tmp/j2.json" >/dev/null && ok \
  || bad "mixed batch: not an array of ${#files[@]} results"
for i in "${!files[@]}"; do
  r=$(jq -c ".[$i]" "$tmp/j2.json")
  [ "$(jq -r .file_index <<<"$r")" = "$i" ] || { bad "file_index $i"; continue; }
  [ "$(jq -r .file_key <<<"$r")" = "${files[$i]}" ] || { bad "file_key $i"; continue; }
  if [ "${kinds[$i]}" = good ]; then
    [ "$(jq -r '.error // "none"' <<<"$r")" = none ] || { bad "${files[$i]}: $(jq -c .error <<<"$r")"; continue; }
  else
    code=$(jq -r .error.code <<<"$r")
    [ "$code" = "${expects[$i]}" ] || { bad "${files[$i]}: code $code want ${expects[$i]}"; continue; }
    grep -qF "docflow: ${files[$i]}: " "$tmp/j2.err" || { bad "${files[$i]}: no message on stderr"; continue; }
  fi
  ok
done
grep -q '^docflow: done: '"${#files[@]}"' files ([0-9]* failed) in ' "$tmp/j2.err" && ok \
  || bad "no summary line: $(tail -n 2 "$tmp/j2.err")"

# The number of workers never changes the output, and extract is the same path.
"$cli" batch --jobs 1 --quiet "${files[@]}" >"$tmp/j1.json" 2>/dev/null
cmp -s "$tmp/j1.json" "$tmp/j2.json" && ok || bad "--jobs 1 and --jobs 2 outputs differ"
"$cli" extract "${files[@]}" >"$tmp/ex.json" 2>"$tmp/ex.err"
cmp -s "$tmp/ex.json" "$tmp/j2.json" && ok || bad "extract and batch outputs differ"
grep -q 'files,\|done:' "$tmp/ex.err" && bad "extract printed progress" || ok

# ---- --ndjson: one parseable object per line, every index once.
"$cli" batch --ndjson --quiet --jobs 2 "${files[@]}" >"$tmp/nd" 2>/dev/null
python3 -c '
import json, sys
n = int(sys.argv[2]); keys = sys.argv[3:]
seen = []
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert keys[o["file_index"]] == o["file_key"], o["file_key"]
    seen.append(o["file_index"])
assert sorted(seen) == list(range(n)), seen
' "$tmp/nd" "${#files[@]}" "${files[@]}" && ok || bad "--ndjson lines"

# ---- --out: the complete array in the file, no temp file left, nothing on stdout.
mkdir "$tmp/o"
expect_status 1 "--out" "$cli" batch --quiet --out "$tmp/o/res.json" "${files[@]}"
cmp -s "$tmp/o/res.json" "$tmp/j2.json" && ok || bad "--out content differs from stdout output"
[ "$(ls -A "$tmp/o")" = res.json ] && ok || bad "--out left: $(ls -A "$tmp/o")"
[ -s "$tmp/out" ] && bad "--out also wrote stdout" || ok

# ---- all good: exit 0; --text keeps input order through the batch path.
expect_status 0 "all-good batch" "$cli" batch --quiet "$fx/sample-invoice.pdf" "$fx/invoice-2page.pdf"
jq -e 'length == 2 and .[1].file_index == 1' "$tmp/out" >/dev/null && ok || bad "all-good output"
expect_status 1 "--text" "$cli" extract --text "$fx/invoice-2page.pdf" "$fx/bad/empty.pdf" "$fx/sample-invoice.pdf"
[ "$(grep '^==> ' "$tmp/out")" = "==> $fx/invoice-2page.pdf <==
==> $fx/bad/empty.pdf <==
==> $fx/sample-invoice.pdf <==" ] && ok || bad "--text headers: $(grep '^==> ' "$tmp/out")"
grep -q 'Acme Technologies' "$tmp/out" && ok || bad "--text has no text"

# ---- directories: recursive, by extension (any case), hidden names skipped, sorted.
d="$tmp/dir"; mkdir -p "$d/sub/deeper" "$d/.hiddendir" "$d/empty"
cp "$fx/sample-invoice.pdf" "$d/b.PDF"
ln -s "$fx/bmp-1bit.bmp" "$d/a.bmp"
cp "$fx/bmp-1bit.bmp" "$d/sub/deeper/z.Tiff"     # extension decides selection, content the format
cp "$fx/invoice-2page.pdf" "$d/sub/c.pdf"
cp "$fx/sample-invoice.pdf" "$d/.hidden.pdf"
cp "$fx/sample-invoice.pdf" "$d/.hiddendir/x.pdf"
echo hello > "$d/notes.txt"; echo hello > "$d/empty/notes.txt"
expect_status 0 "directory" "$cli" batch --quiet "$d" "$fx/sample-invoice.pdf"
want=$(printf '%s\n' "$d/a.bmp" "$d/b.PDF" "$d/sub/c.pdf" "$d/sub/deeper/z.Tiff" "$fx/sample-invoice.pdf")
[ "$(jq -r '.[].file_key' "$tmp/out")" = "$want" ] && ok || bad "directory expansion: $(jq -r '.[].file_key' "$tmp/out" | tr '\n' ' ')"
jq -e '[.[].file_index] == [0,1,2,3,4]' "$tmp/out" >/dev/null && ok || bad "directory file_index"

# ---- usage errors
expect_status 2 "batch without files" "$cli" batch
expect_status 2 "--jobs 0" "$cli" batch --jobs 0 "$fx/sample-invoice.pdf"
expect_status 2 "--jobs 257" "$cli" batch --jobs 257 "$fx/sample-invoice.pdf"
expect_status 2 "--jobs abc" "$cli" batch --jobs abc "$fx/sample-invoice.pdf"
grep -q -- '--jobs' "$tmp/err" && ok || bad "--jobs message"
expect_status 2 "directory without supported files" "$cli" batch "$fx/sample-invoice.pdf" "$d/empty"
grep -qF "$d/empty" "$tmp/err" && ok || bad "empty directory not named: $(cat "$tmp/err")"
expect_status 2 "--text with --ndjson" "$cli" batch --text --ndjson "$fx/sample-invoice.pdf"
expect_status 0 "--help lists batch" "$cli" --help
grep -q 'docflow batch' "$tmp/out" && ok || bad "--help does not list batch"

# ---- progress: plain lines when stderr is a file, nothing with --quiet
DOCFLOW_PROGRESS_SECONDS=0 "$cli" batch --jobs 1 "$fx/sample-invoice.pdf" "$fx/invoice-2page.pdf" \
  >/dev/null 2>"$tmp/p.err"
grep -q '^docflow: [0-9]*/2 files, [0-9]*/[0-9]* pages, [0-9.]* pages/s' "$tmp/p.err" && ok \
  || bad "no progress line: $(cat "$tmp/p.err")"
grep -q '^docflow: done: 2 files (0 failed) in [0-9.]* s$' "$tmp/p.err" && ok || bad "summary: $(cat "$tmp/p.err")"
DOCFLOW_PROGRESS_SECONDS=0 "$cli" batch --quiet "$fx/sample-invoice.pdf" >/dev/null 2>"$tmp/q.err"
[ -s "$tmp/q.err" ] && bad "--quiet printed: $(cat "$tmp/q.err")" || ok

# ---- Ctrl-C: OCR-heavy images, one worker; SIGINT after the first result.
scans=("$fx/invoice.jpg" "$fx/invoice.png" "$fx/invoice-rgb.png" "$fx/invoice-gray.jpg")
many=(); for k in 1 2 3 4 5; do many+=("${scans[@]}"); done   # 20 inputs
mkdir "$tmp/c"
DOCFLOW_PROGRESS_SECONDS=0 "$cli" batch --jobs 1 --out "$tmp/c/res.json" "${many[@]}" \
  >/dev/null 2>"$tmp/c.err" &
pid=$!
for _ in $(seq 1 1200); do   # up to 120 s (ASan)
  grep -q '^docflow: [1-9][0-9]*/20 files' "$tmp/c.err" && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
kill -INT $pid 2>/dev/null
wait $pid; st=$?
[ $st = 130 ] && ok || bad "cancelled run exit $st, want 130 ($(tail -n 3 "$tmp/c.err"))"
python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert [o["file_index"] for o in a] == list(range(20)), "indices"
done = [o for o in a if o.get("error") is None]
cancelled = [o for o in a if (o.get("error") or {}).get("code") == "cancelled"]
assert done, "no finished result"
assert len(done) + len(cancelled) == 20, [o.get("error") for o in a]
assert cancelled, "nothing was cancelled"
' "$tmp/c/res.json" && ok || bad "cancelled run output"
[ "$(ls -A "$tmp/c")" = res.json ] && ok || bad "cancelled run left: $(ls -A "$tmp/c")"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
