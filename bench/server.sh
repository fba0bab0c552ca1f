#!/usr/bin/env bash
# server.sh — `docflow serve` against `docflow batch` on the same files, in one run.
#
#   sets      100 receipts (devset/sroie, every scan) and the 40 mixed documents
#             bench/batch.sh uses (20 sroie stride + 20 synthetic of every format,
#             interleaved).
#   cli       `docflow batch --quiet --jobs N` over the set.
#   server    one `docflow serve --workers N` (fresh data directory, started once:
#             its moving averages persist from run to run as they would in use);
#             bench/server_client.py submits the set as one batch, polls its
#             status every 100 ms on a keep-alive connection, downloads the results.
#             wall = first byte sent to last result downloaded. The results must
#             equal the cli's (file_key aside), or the run is void.
#   ratio     server wall / cli wall per set (medians over rounds); target <= 1.10.
#   latency   p99 of the status GETs answered while the batch was still queued or
#             processing (workers busy), all server runs pooled; target <= 50 ms.
#   estimate  (estimated_seconds - actual) / actual, actual = 202 to the first poll
#             that saw the batch complete; over every server batch, including a
#             third scenario: the 40 mixed documents as 4 batches of 10 sent back
#             to back (later ones have a queue ahead). Target: median within ±30 %.
#             The first batch is estimated from the priors (estimate.c), the later
#             ones from what the server measured.
# Each round runs: cli receipts, server receipts, cli mixed, server mixed (odd
# rounds; even rounds run the server first), then server 4 x 10. Medians over
# rounds; ratios from the medians.
#
# usage: bench/server.sh [DEVSET_DIR] [ROUNDS]
#   defaults ../shared/devset, 2 rounds; build dir from $BUILD (default ./build);
#   workers from $WORKERS (default nproc). Needs /usr/bin/python3 with
#   python3-requests (scripts/install-deps --test) and jq.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
devset=${1:-$top/../shared/devset}
rounds=${2:-2}
build=${BUILD:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
workers=${WORKERS:-$(nproc)}
cli=$build/docflow
tessdata=$build/tessdata
py=/usr/bin/python3

die() { echo "server.sh: $*" >&2; exit 1; }

check_tools() {
    [ -x "$cli" ] || die "$cli missing: build first"
    "$cli" --help 2>&1 | grep -q 'docflow serve' || die "$cli has no 'serve' command"
    [ -f "$tessdata/eng.traineddata" ] || die "$tessdata/eng.traineddata missing (built with docflow)"
    "$py" -c 'import requests' 2>/dev/null || die "$py with requests missing: scripts/install-deps --test"
    command -v jq >/dev/null || die "jq missing"
    [[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"
    [ -d "$devset/sroie" ] && [ -d "$devset/synthetic/docs" ] || die "$devset: expected sroie/ and synthetic/docs/"
}

# pick K: K lines evenly spaced over stdin; interleave A B: a1 b1 a2 b2 ... (as bench/batch.sh)
pick() { awk -v k="$1" '{l[NR]=$0} END {if (k>NR) k=NR; for (i=0;i<k;i++) print l[int(i*NR/k)+1]}'; }
interleave() { paste -d '\n' "$1" "$2" | sed '/^$/d'; }

build_lists() {
    find "$devset/sroie" -maxdepth 1 -type f -name '*.jpg' | sort | pick 100 >"$tmp/receipts.txt"
    find "$devset/sroie" -maxdepth 1 -type f -name '*.jpg' | sort | pick 20 >"$tmp/sroie20.txt"
    find "$devset/synthetic/docs" -maxdepth 1 -type f |
        awk '{n=split($0, p, "."); print p[n] "\t" $0}' | sort | cut -f2 | pick 20 >"$tmp/synth20.txt"
    interleave "$tmp/sroie20.txt" "$tmp/synth20.txt" >"$tmp/mixed.txt"
    mapfile -t receipts <"$tmp/receipts.txt"
    mapfile -t mixed <"$tmp/mixed.txt"
    [ "${#receipts[@]}" -ge 100 ] || die "only ${#receipts[@]} receipts under $devset/sroie"
    [ "${#mixed[@]}" -ge 40 ] || die "only ${#mixed[@]} mixed documents"
}

start_server() {
    local i
    "$cli" keys create --plan enterprise --data-dir "$tmp/data" >"$tmp/key.txt" 2>/dev/null
    key=$(awk '$1 == "api_key:" {print $2}' "$tmp/key.txt")
    "$cli" serve --data-dir "$tmp/data" --listen 127.0.0.1:0 --workers "$workers" \
        --tessdata "$tessdata" 2>"$tmp/server.log" &
    server_pid=$!
    for i in $(seq 1 300); do
        url=$(sed -n 's/^docflow: serving on \([^ ]*\) .*/\1/p' "$tmp/server.log")
        [ -n "$url" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$tmp/server.log" >&2
    die "the server did not start"
}

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}'; }

run_cli() { # LIST-NAME: sets $wall; results in $tmp/cli-NAME.json
    local -n files=$1
    local t0 rc=0
    t0=$(now)
    TESSDATA_PREFIX=$tessdata "$cli" batch --quiet --jobs "$workers" --out "$tmp/cli-$1.json" \
        "${files[@]}" >/dev/null 2>"$tmp/cli.err" || rc=$?
    wall=$(since "$t0")
    [ "$rc" -le 1 ] || { tail -5 "$tmp/cli.err" >&2; die "docflow batch exited $rc"; }
}

run_server() { # LIST-NAME [SPLIT]: sets $wall; appends to $tmp/runs.jsonl
    local -n files=$1
    local split=${2:-1}
    "$py" "$top/bench/server_client.py" "$url" "$key" "$tmp/srv-$1.json" --split "$split" \
        "${files[@]}" >"$tmp/run.json" || die "server run failed"
    jq -c --arg set "$1" --argjson split "$split" '. + {set: $set, split: $split}' "$tmp/run.json" \
        >>"$tmp/runs.jsonl"
    wall=$(jq -r '.wall | . * 100 | round / 100' "$tmp/run.json")
    # the same results as docflow batch, in the same order (file_key aside, and a failed
    # file's message, which names it; file_index counts within each batch of a split run)
    local norm='map(del(.file_key, .file_index) | if .error then .error |= del(.message) else . end)' i
    if ! cmp -s <(jq -S "$norm" "$tmp/srv-$1.json") <(jq -S "$norm" "$tmp/cli-$1.json"); then
        differ=$((differ + 1))
        for i in "${!files[@]}"; do
            cmp -s <(jq -S ".[$i] | [.] | $norm" "$tmp/srv-$1.json") \
                   <(jq -S ".[$i] | [.] | $norm" "$tmp/cli-$1.json") && continue
            echo "note: '$1' file $i (${files[$i]}) differs from docflow batch's:" >&2
            diff <(jq -S ".[$i] | del(.file_key, .file_index)" "$tmp/cli-$1.json") \
                 <(jq -S ".[$i] | del(.file_key, .file_index)" "$tmp/srv-$1.json") | head -20 >&2 || true
        done
    fi
}

med() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%.2f", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
ok() { awk -v v="$1" -v t="$2" 'BEGIN {print (v <= t) ? "yes" : "NO"}'; }

main() {
    check_tools
    tmp=$(mktemp -d)
    server_pid=""
    trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
    trap 'exit 130' INT TERM
    build_lists
    cat "${receipts[@]}" "${mixed[@]}" "$tessdata/eng.traineddata" >/dev/null # page cache
    start_server
    local load0 load1 r cr=() sr=() cm=() sm=()
    differ=0
    load0=$(cut -d' ' -f1 /proc/loadavg)
    echo "server.sh: $workers workers, ${#receipts[@]} receipts, ${#mixed[@]} mixed, $rounds rounds; load $load0"
    for r in $(seq "$rounds"); do
        if [ $((r % 2)) = 1 ]; then # odd rounds: cli first; even rounds: server first
            run_cli receipts; cr+=("$wall"); run_server receipts; sr+=("$wall")
            run_cli mixed; cm+=("$wall"); run_server mixed; sm+=("$wall")
        else
            run_server receipts; sr+=("$wall"); run_cli receipts; cr+=("$wall")
            run_server mixed; sm+=("$wall"); run_cli mixed; cm+=("$wall")
        fi
        run_server mixed 4
        echo "round $r/$rounds: receipts cli ${cr[-1]} s, server ${sr[-1]} s; mixed cli ${cm[-1]} s, server ${sm[-1]} s"
    done
    load1=$(cut -d' ' -f1 /proc/loadavg)

    local mcr msr mcm msm rr rm p99 p50 nlat est
    mcr=$(med "${cr[@]}"); msr=$(med "${sr[@]}"); mcm=$(med "${cm[@]}"); msm=$(med "${sm[@]}")
    rr=$(div "$msr" "$mcr"); rm=$(div "$msm" "$mcm")
    read -r nlat p50 p99 < <(jq -s '[.[].busy_ms[]] | sort | [length, .[(length * 0.5 | floor)],
        .[((length * 0.99 | ceil) - 1)]] | map(. * 100 | round / 100) | @tsv' -r "$tmp/runs.jsonl")
    jq -s -r '[.[] | .set as $s | .split as $k | .batches | to_entries[] | .key as $i | .value |
        {s: $s, k: $k, i: ($i + 1), files, estimated, actual, err: ((.estimated - .actual) / .actual)}] | .[] |
        "| \(.s)\(if .k > 1 then " (\(.i) of \(.k))" else "" end) | \(.files) | \(.estimated) | \(.actual * 10 | round / 10) | \(.err * 100 | round) % |"' \
        "$tmp/runs.jsonl" >"$tmp/est.md"
    est=$(jq -s '[.[].batches[] | (.estimated - .actual) / .actual] | sort | .[(length / 2 | floor)] * 100 | round' \
        "$tmp/runs.jsonl")
    cat <<EOF

### docflow serve benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, $workers workers, rounds: $rounds, medians)

| set | docflow batch --jobs $workers (s) | docflow serve --workers $workers (s) | ratio | target | met |
| --- | --- | --- | --- | --- | --- |
| 100 receipts (sroie) | $mcr | $msr | $rr | <= 1.10 | $(ok "$rr" 1.10) |
| 40 mixed (bench/batch.sh) | $mcm | $msm | $rm | <= 1.10 | $(ok "$rm" 1.10) |

| measure | value | target | met |
| --- | --- | --- | --- |
| GET /v1/batch/{id} while workers busy: p50 / p99 ($nlat requests) | $p50 / $p99 ms | p99 <= 50 ms | $(ok "$p99" 50) |
| estimated_seconds error, median over every batch | $est % | within ±30 % | $(awk -v e="$est" 'BEGIN {print (e >= -30 && e <= 30) ? "yes" : "NO"}') |

| batch | files | estimated s | actual s | error |
| --- | --- | --- | --- | --- |
$(cat "$tmp/est.md")

Server wall: first byte of the upload to the last result downloaded (polling every 100 ms);
cli wall: the docflow batch process. Server runs whose results differed from docflow batch's
(file_key and error messages aside): $differ (the differing files are listed above).
1-minute load average $load0 before, $load1 after (this benchmark alone adds up to $workers):
well above that means other jobs shared the cores and the figures are not meaningful.
EOF
}

main
