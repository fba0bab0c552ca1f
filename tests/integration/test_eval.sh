#!/usr/bin/env bash
# `docflow eval` end to end: a tiny labelled synthetic folder and a tiny SROIE
# folder built here, scored from a hand-written --results file (so the
# figures are known exactly and do not depend on the extractors), then the
# --json / --write-baseline / --baseline contract CI relies on, and one run
# through real extraction.
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
# row FIELD "n correct accuracy null_n fp": one line of the field table
row() {
  local got; got=$(awk -v f="$1" '$1 == f {print $2, $3, $4, $5, $6; exit}' "$tmp/out")
  [ "$got" = "$2" ] && ok || bad "row $1: got '$got', want '$2'"
}

syn="$tmp/syn"; sr="$tmp/sr"
mkdir -p "$syn/docs" "$syn/truth" "$sr"
cp "$fx/invoice.png" "$syn/docs/a.png"
cp "$fx/invoice.jpg" "$syn/docs/b.jpg"
cp "$fx/sample-invoice.pdf" "$syn/docs/c.pdf"
cp "$fx/invoice.jpg" "$sr/X1.jpg"
cp "$fx/invoice.jpg" "$sr/X2.jpg"

cat >"$syn/truth/a.png.json" <<'EOF'
{"document_type": "invoice", "document_category": "financial",
 "vendor": {"name": "Acme Traders", "tax_id": "27AAPFU0939F1ZV"},
 "document_meta": {"invoice_number": "INV-001", "date": "2024-07-01", "currency": "INR"},
 "financial": {"line_items": [{"description": "Widget", "quantity": 1, "unit_price": 100, "total": 100}],
   "totals": {"subtotal": 100, "cgst": 9, "sgst": 9, "igst": null, "grand_total": 118}},
 "math_valid": true, "layout": "gst_modern", "variant": "png", "meta": {"kind": "gst"}}
EOF
cat >"$syn/truth/b.jpg.json" <<'EOF'
{"document_type": "receipt", "document_category": "financial",
 "vendor": {"name": "Café Lumière", "tax_id": null},
 "document_meta": {"invoice_number": null, "date": "2024-12-14", "currency": "EUR"},
 "financial": {"line_items": [{"description": "Croissant", "total": 4}, {"description": "Espresso", "total": 6}],
   "totals": {"subtotal": 10, "cgst": null, "sgst": null, "igst": null, "grand_total": 10}},
 "math_valid": true, "layout": "rcpt_thermal", "variant": "jpeg", "meta": {"kind": "receipt"}}
EOF
cat >"$syn/truth/c.pdf.json" <<'EOF'
{"document_type": "invoice", "document_category": "financial",
 "vendor": {"name": "Zeta Ltd", "tax_id": "29ABCDE1234F1Z5"},
 "document_meta": {"invoice_number": "Z-9", "date": "2024-01-31", "currency": "INR"},
 "financial": {"line_items": [{"description": "Service", "total": 50}],
   "totals": {"subtotal": 50, "cgst": null, "sgst": null, "igst": 9, "grand_total": 59}},
 "math_valid": false, "layout": "gst_grid", "variant": "pdf_digital", "meta": {"kind": "gst"}}
EOF
cat >"$sr/X1.json" <<'EOF'
{"company": "BOOK TA .K (TAMAN DAYA) SDN BHD", "date": "25/12/2018",
 "address": "NO.53 55,57 & 59, JALAN SAGU 18, TAMAN DAYA, 81100 JOHOR BAHRU, JOHOR.", "total": "RM9.00"}
EOF
cat >"$sr/X2.json" <<'EOF'
{"company": "SOON HUAT", "date": "11 JAN 2019", "address": "NO.53 JALAN PUTRA 1", "total": "$327.00"}
EOF
# a.png nearly all right (igst invented); b.jpg half wrong; c.pdf has no
# result. X1 right with a few address typos (CER <= 0.1); X2 wrong name,
# address CER 2/19 > 0.1, no currency.
cat >"$tmp/results.json" <<'EOF'
[
 {"file_index": 0, "file_key": "/elsewhere/a.png", "validation": {"math_valid": true},
  "extraction": {"document_type": "Invoice", "document_category": "financial",
   "vendor": {"name": "ACME TRADERS.", "tax_id": "27AAP FU0939F1ZV"},
   "document_meta": {"invoice_number": "inv 001", "date": "2024-07-01", "currency": "INR"},
   "financial": {"line_items": [{"description": "WIDGET", "total": 100}],
     "totals": {"subtotal": 100.004, "cgst": 9, "sgst": 9, "igst": 18, "grand_total": 118}}}},
 {"file_index": 1, "file_key": "b.jpg", "validation": null,
  "extraction": {"document_type": "receipt", "document_category": "financial",
   "vendor": {"name": "Cafe Lumiere", "tax_id": "FR123"},
   "document_meta": {"invoice_number": null, "date": "2024-12-15", "currency": "EUR"},
   "financial": {"line_items": [{"description": "Croissant", "total": 4}, {"description": "Tea", "total": 3}],
     "totals": {"subtotal": 10, "cgst": null, "sgst": null, "igst": null, "grand_total": 10.5}}}},
 {"file_index": 2, "file_key": "X1.jpg", "validation": null,
  "extraction": {"vendor": {"name": "book ta k (taman daya) sdn. bhd.",
     "address": "NO 53 55 57 & 59 JALAN SAGO 18 TAMAN DAYA 81100 JOHOR BAHRU JOHR"},
   "document_meta": {"date": "2018-12-25", "currency": "MYR"}, "financial": {"totals": {"grand_total": 9}}}},
 {"file_index": 3, "file_key": "X2.jpg", "validation": null,
  "extraction": {"vendor": {"name": "SOON HUAT MACHINERY", "address": "NO 53 JALAN PUTRI 7"},
   "document_meta": {"date": "2019-01-11", "currency": null}, "financial": {"totals": {"grand_total": 327.001}}}}
]
EOF

# usage errors
expect_status 2 "eval without DIR" "$cli" eval
expect_status 2 "eval bad --limit" "$cli" eval --limit 0 "$syn"
expect_status 2 "eval bad --jobs" "$cli" eval --jobs x "$syn"
echo 'not json' >"$tmp/bad.json"
expect_status 2 "eval bad --results" "$cli" eval --results "$tmp/bad.json" "$syn"
expect_status 0 "eval --help" "$cli" eval --help
grep -q 'usage: docflow eval' "$tmp/out" && ok || bad "eval --help text"
expect_status 0 "main --help lists eval" "$cli" --help
grep -q 'docflow eval' "$tmp/out" && ok || bad "main usage line"

# rules: listed, switched off by id, unknown ids refused
expect_status 0 "eval --rules" "$cli" eval --rules
grep -q '^totals.sum ' "$tmp/out" && grep -q '^reread.total ' "$tmp/out" && ok || bad "--rules lists ids"
expect_status 2 "eval --without unknown" "$cli" eval --without totals.nope "$syn"
grep -q 'no such rule' "$tmp/err" && ok || bad "--without names the unknown rule"
expect_status 2 "eval --without with --results" "$cli" eval --without totals.sum \
  --results "$tmp/results.json" "$syn"

# synthetic figures
expect_status 0 "eval synthetic" "$cli" eval --mismatches --results "$tmp/results.json" "$syn"
grep -q '3 documents, 1 without a result' "$tmp/out" && ok || bad "document count"
row document_type "3 2 66.7% 0 0"
row vendor.name "3 1 33.3% 0 0"
row vendor.tax_id "2 1 50.0% 1 1"
row invoice_number "2 1 50.0% 1 0"
row date "3 1 33.3% 0 0"
row currency "3 2 66.7% 0 0"
row subtotal "3 2 66.7% 0 0"
row cgst "1 1 100.0% 2 0"
row igst "1 0 0.0% 2 1"
row grand_total "3 1 33.3% 0 0"
row math_valid "3 1 33.3% 0 0"
grep -q 'line items: 4 true, 3 predicted, 2 matched; P 66.7%  R 50.0%  F1 57.1%' "$tmp/out" \
  && ok || bad "line-item P/R/F1: $(grep 'line items' "$tmp/out")"
awk '$1 == "gst" && $2 == 2' "$tmp/out" | grep -q . && ok || bad "by-kind row gst"
awk '$1 == "pdf_digital" && $2 == 1' "$tmp/out" | grep -q . && ok || bad "by-variant row"
awk '$1 == "rcpt_thermal" && $2 == 1' "$tmp/out" | grep -q . && ok || bad "by-layout row"
grep -q 'b.jpg date: expected "2024-12-14", got "2024-12-15"' "$tmp/out" && ok || bad "mismatch line"
grep -q 'a.png igst: expected null, got 18' "$tmp/out" && ok || bad "false-positive mismatch"
grep -q 'c.pdf: no result' "$tmp/err" && ok || bad "missing result named on stderr"

# SROIE figures
expect_status 0 "eval sroie" "$cli" eval --results "$tmp/results.json" "$sr"
row vendor.name "2 1 50.0% 0 0"
row vendor.address "2 1 50.0% 0 0"
row date "2 2 100.0% 0 0"
row grand_total "2 2 100.0% 0 0"
row currency "2 1 50.0% 0 0"

# WildReceipt figures: labels without spaces, date or date_alt, tax from
# the GST parts when the result has no single tax, amounts as numbers.
wr="$tmp/wr"; mkdir -p "$wr"
cp "$fx/invoice.jpg" "$wr/W1.jpg"; cp "$fx/invoice.jpg" "$wr/W2.jpg"; cp "$fx/invoice.jpg" "$wr/W3.jpg"
cat >"$wr/W1.json" <<'EOF2'
{"company": "KOREANRESTAURANT", "address": "15038NACOGDOCHESRD SANANTONIO,TX78233",
 "date": "2016-08-01", "date_alt": "2016-01-08", "date_raw": ["08/01/16"],
 "total": 9.73, "subtotal": 8.99, "tax": 0.74}
EOF2
cat >"$wr/W2.json" <<'EOF2'
{"company": "CVS/pharmacy", "address": null, "date": "2016-12-30", "date_alt": null,
 "date_raw": ["12/30/16"], "total": 20, "subtotal": 18, "tax": 2}
EOF2
cat >"$wr/W3.json" <<'EOF2'
{"company": "Netto", "address": "MarburgerStr.2 10789Berlin", "date": null, "date_alt": null,
 "date_raw": [], "total": null, "subtotal": null, "tax": 0.5}
EOF2
cat >"$tmp/wr-results.json" <<'EOF2'
[
 {"file_key": "W1.jpg", "extraction": {"vendor": {"name": "Korean Restaurant",
   "address": "15038 NACOGDOCHES RD, SAN ANTONIO TX 78233"},
   "document_meta": {"date": "2016-01-08"},
   "financial": {"totals": {"subtotal": 8.99, "tax": 0.74, "grand_total": 9.73}}}},
 {"file_key": "W2.jpg", "extraction": {"vendor": {"name": "CVS pharmacy inc", "address": "1 Main St"},
   "document_meta": {"date": "2016-12-30"},
   "financial": {"totals": {"subtotal": 18, "tax": null, "cgst": 1, "sgst": 1, "grand_total": 19}}}},
 {"file_key": "W3.jpg", "extraction": {"vendor": {"name": "NETTO", "address": "Marburger Str. 2, 10789 Berlin"},
   "document_meta": {"date": "2013-11-05"},
   "financial": {"totals": {"subtotal": null, "tax": null, "grand_total": 4}}}}
]
EOF2
expect_status 0 "eval wildreceipt" "$cli" eval --mismatches --results "$tmp/wr-results.json" "$wr"
grep -q '(wildreceipt, 3 documents' "$tmp/out" && ok || bad "wildreceipt format detected"
row vendor.name "3 2 66.7% 0 0"
row vendor.address "2 2 100.0% 1 1"
row date "2 2 100.0% 1 1"
row subtotal "2 2 100.0% 1 0"
row tax "3 2 66.7% 0 0"
row grand_total "2 1 50.0% 1 1"
grep -q 'W2.jpg grand_total: expected 20, got 19' "$tmp/out" && ok || bad "wildreceipt mismatch line"

# Extraction given what OCR read: a result carrying its "text" is also
# scored on the documents whose text contains the value.
jq '.[0].text = "KOREAN RESTAURANT\nTOTAL 9.73" | .[1].text = "CVS/pharmacy\nTOTAL 20.00"' \
  "$tmp/wr-results.json" >"$tmp/wr-text.json"
expect_status 0 "eval with texts" "$cli" eval --json "$tmp/wr-text.json.out" --results "$tmp/wr-text.json" "$wr"
given_row() { # field "in_text given_text"
  local got; got=$(awk -v f="$1" '$1 == f {print $7, $8; exit}' "$tmp/out")
  [ "$got" = "$2" ] && ok || bad "given-text row $1: got '$got', want '$2'"
}
given_row grand_total "2 50.0%"
given_row vendor.name "2 50.0%"
given_row subtotal "0 -"
jq -e '.folders[0].fields.grand_total.in_text == 2 and
       .folders[0].fields.grand_total.accuracy_given_text == 50' "$tmp/wr-text.json.out" >/dev/null \
  && ok || bad "--json given-text figures"

# Validation splits are measured in aggregate only: no per-document output.
val="$tmp/wr-val"; cp -r "$wr" "$val"
expect_status 2 "--mismatches refused on a -val folder" "$cli" eval --mismatches \
  --results "$tmp/wr-results.json" "$val/"
grep -q 'validation split' "$tmp/err" && ok || bad "refusal names the reason"
expect_status 0 "eval on a -val folder" "$cli" eval --json "$tmp/val.json" \
  --results "$tmp/wr-results.json" "$val"
row tax "3 2 66.7% 0 0"
jq -e '.folders[0].mismatches == [] and .figures["wr-val/tax"] == 66.67' "$tmp/val.json" >/dev/null \
  && ok || bad "--json of a -val folder has figures but no mismatches"
expect_status 2 "recall --verbose refused on a -val folder" "$cli" recall --verbose \
  --command 'cat /dev/null {}' "$val"
grep -q 'validation split' "$tmp/err" && ok || bad "recall refusal names the reason"

# recall on the WildReceipt format, from a stand-in OCR command (the
# label files' own text plus printed forms), so the figures are exact.
printf '%s\n' 'KOREAN RESTAURANT' '08/01/16 TOTAL 9.73 SUB 8.99 TAX 0.74' >"$tmp/W1.txt"
printf '%s\n' 'CVS/pharmacy' 'FRI 12/30/16 TOTAL 20.00' >"$tmp/W2.txt"
printf '%s\n' 'NETT0' 'Marburger Str. 2' '10789 Berlin' >"$tmp/W3.txt"
expect_status 0 "recall wildreceipt" "$cli" recall \
  --command "cat $tmp/\$(basename {} .jpg).txt" "$wr"
recall_row() { # field "found total"
  local got; got=$(awk -v f="$1" '$1 == f {print $2, $3; exit}' "$tmp/out")
  [ "$got" = "$2" ] && ok || bad "recall row $1: got '$got', want '$2'"
}
recall_row total "2 2"
recall_row subtotal "1 2"
recall_row tax "1 3"
recall_row date "2 2" # W1 by date_alt read day first, W2 only as printed (date_raw)
recall_row company "2 3"
recall_row address "1 2"

# --limit counts documents per folder
expect_status 0 "eval --limit" "$cli" eval --limit 1 --results "$tmp/results.json" "$syn"
grep -q '1 documents' "$tmp/out" && ok || bad "--limit 1"

# --json and baselines
expect_status 0 "eval --json --write-baseline" "$cli" eval --results "$tmp/results.json" \
  --json "$tmp/figs.json" --write-baseline "$tmp/base.json" "$syn" "$sr/"
jq -e '.figures["syn/date"] == 33.33 and .figures["sr/date"] == 100 and
       .figures["syn/line_items.f1"] == 57.14 and (.figures | has("syn/igst"))' "$tmp/figs.json" \
  >/dev/null && ok || bad "--json figures"
jq -e '.folders[0].fields["vendor.tax_id"].false_positives == 1 and
       .folders[0].groups.kind.gst.docs == 2 and .folders[0].line_items.matched == 2' "$tmp/figs.json" \
  >/dev/null && ok || bad "--json details"
jq -e '(.figures | length) > 10 and (has("folders") | not)' "$tmp/base.json" >/dev/null \
  && ok || bad "--write-baseline content"
expect_status 0 "baseline holds" "$cli" eval --results "$tmp/results.json" --baseline "$tmp/base.json" "$syn" "$sr"
jq '.figures["syn/date"] = 50 | .figures["sr/vendor.address"] = 75' "$tmp/base.json" >"$tmp/higher.json"
expect_status 1 "baseline dropped" "$cli" eval --results "$tmp/results.json" --baseline "$tmp/higher.json" "$syn" "$sr"
grep -q 'syn/date 33.33 < 50.00' "$tmp/err" && ok || bad "drop named: $(cat "$tmp/err")"
grep -q 'sr/vendor.address 50.00 < 75.00' "$tmp/err" && ok || bad "second drop named"
expect_status 1 "baseline figure missing" "$cli" eval --results "$tmp/results.json" --baseline "$tmp/base.json" "$syn"
grep -q 'sr/date missing' "$tmp/err" && ok || bad "missing figure named"
jq '.figures["syn/date"] = 10' "$tmp/base.json" >"$tmp/lower.json"
expect_status 0 "baseline lower" "$cli" eval --results "$tmp/results.json" --baseline "$tmp/lower.json" "$syn" "$sr"
expect_status 2 "baseline unreadable" "$cli" eval --results "$tmp/results.json" --baseline "$tmp/bad.json" "$syn"

# Through the library: whatever the extractors return today, the run
# completes, scores every document and writes figures.
expect_status 0 "eval with extraction" "$cli" eval --jobs 2 --json "$tmp/live.json" "$syn"
grep -q '3 documents' "$tmp/out" && ok || bad "live document count"
jq -e '.folders[0].docs == 3 and (.figures | has("syn/date"))' "$tmp/live.json" >/dev/null \
  && ok || bad "live --json"

# a rule switched off through the library: the run still scores everything
expect_status 0 "eval --without, live" "$cli" eval --without totals.sum,reread.total "$syn"
grep -q '3 documents' "$tmp/out" && ok || bad "live --without document count"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
