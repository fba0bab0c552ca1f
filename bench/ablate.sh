#!/usr/bin/env bash
# ablate.sh — what each rule of the extractors is worth: every rule of
# `docflow eval --rules` switched off in turn, against all rules on, on
# labelled folders whose words bench/replay has saved (no OCR per run).
#
# usage: bench/ablate.sh CACHE_ROOT DEVSET SET... [-- RULE...]
#   CACHE_ROOT/SET holds `replay dump` files of DEVSET/SET. Prints a
#   markdown table: per rule and folder, each headline figure that moves,
#   as "field a -> b" (all rules on -> this rule off); "-" when nothing
#   moves. Second readings are not part of replay (bench/README.md), so
#   reread.* rules always show "-" here.
# Validation folders (*-val) give aggregate figures only, as everywhere.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
replay="$top/build/bench/replay"
cli="$top/build/docflow"
[ $# -ge 3 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
root=$1 devset=$2; shift 2
sets=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do sets+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
rules=("$@")
[ ${#rules[@]} -gt 0 ] || mapfile -t rules < <("$cli" eval --rules | awk '{print $1}')
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

figures() { # rule-or-empty set -> "field value" lines
  DF_REPLAY_WITHOUT=$1 "$replay" run "$root/$2" >"$tmp/r.json"
  "$cli" eval --results "$tmp/r.json" --json "$tmp/f.json" "$devset/$2" >/dev/null
  jq -r '.figures | to_entries[] | "\(.key) \(.value)"' "$tmp/f.json"
}

for s in "${sets[@]}"; do figures "" "$s" >"$tmp/base-$s"; done
printf '| rule |'; for s in "${sets[@]}"; do printf ' %s |' "$s"; done; printf '\n'
printf '| --- |'; for s in "${sets[@]}"; do printf ' --- |'; done; printf '\n'
for r in "${rules[@]}"; do
  printf '| `%s` |' "$r"
  for s in "${sets[@]}"; do
    figures "$r" "$s" >"$tmp/off"
    moved=$(join "$tmp/base-$s" "$tmp/off" | awk '$2 != $3 {sub(/^[^\/]*\//, "", $1); printf "%s%s %s -> %s", sep, $1, $2, $3; sep="; "}')
    printf ' %s |' "${moved:--}"
  done
  printf '\n'
done
