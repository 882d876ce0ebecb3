#!/usr/bin/env bash
# Times kith at four ledger sizes against hledger on the same favours.
#
#   scripts/bench.sh            # S, M, L and XL (about 15 minutes on 2 cores, 2 GB of disk)
#   SCALES="S M L" scripts/bench.sh
#
# Installs hyperfine, hledger and GNU time from the system packages when they
# are missing, builds release, generates the ledgers with the gen_ledger
# example into target/bench, times every read command that this build has
# (commands not there yet are skipped) with a warm snapshot, `balance` from
# the JSON (`--no-cache`) and right after the snapshot was deleted (the
# first read after an external edit, which rebuilds it), one write (`gave`,
# on a copy restored before each run) and `hledger bal`, and prints a
# Markdown table of medians, the hledger/kith ratio and peak memory, then the
# time ratio of each command between consecutive sizes (wall and CPU) beside
# the ratio of their entries (a command growing faster than the ledger shows there). The
# tables are also written to target/bench/results.md; the generated files
# are deleted at the end (KEEP=1 keeps them). Timings are noisy while the
# machine is busy: check `uptime` and re-run when it is quiet.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/target/bench"
SCALES=${SCALES:-"S M L XL"}
export KITH_TODAY=2026-11-21
export NO_COLOR=1

need_install=()
command -v hyperfine >/dev/null || need_install+=(hyperfine)
command -v hledger >/dev/null || need_install+=(hledger)
[ -x /usr/bin/time ] || need_install+=(time)
if [ ${#need_install[@]} -gt 0 ]; then
    echo "installing ${need_install[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    if ! $SUDO apt-get install -y -qq "${need_install[@]}" >/dev/null 2>&1; then
        $SUDO apt-get update -qq
        $SUDO apt-get install -y -qq "${need_install[@]}" >/dev/null
    fi
fi

cargo build --release --quiet --bin kith --example gen_ledger
KITH="$ROOT/target/release/kith"
GEN="$ROOT/target/release/examples/gen_ledger"
mkdir -p "$OUT"

size() {
    case $1 in
        S) echo "500 5000 1" ;;
        M) echo "2000 50000 2" ;;
        L) echo "10000 200000 3" ;;
        XL) echo "50000 1000000 4" ;;
        *) echo "unknown scale $1" >&2; exit 2 ;;
    esac
}

# Which commands this build has: `kith help` lists them.
HELP=$("$KITH" help)
has() { grep -Eq "^  $1( |$)" <<<"$HELP"; }

# median_ms CSV: hyperfine's median of the one command in the CSV, in ms.
median_ms() { awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$1"; }
# cpu_ms CSV: mean user + system CPU time, in ms. On a shared machine this is
# steadier than wall time, which grows with the other processes' load.
cpu_ms() { awk -F, 'NR == 2 { printf "%.0f", ($5 + $6) * 1000 }' "$1"; }

# peak_mb CMD...: the maximum resident set of one run, in MB.
peak_mb() {
    /usr/bin/time -f %M -o "$OUT/.time" "$@" >/dev/null 2>&1 || true
    awk '{ printf "%.0f", $1 / 1024 }' "$OUT/.time"
}

declare -A MEDIAN CPU PEAK COMMAND ENTRIES
LABELS=()

# bench SCALE LABEL RUNS [hyperfine options...] -- "COMMAND"
# The command is one string, split by hyperfine (-N: no shell in between,
# so its start-up is not timed); quote arguments with spaces in it.
# WARMUP (default 1) warm-up runs come first.
bench() {
    local scale=$1 label=$2 runs=$3
    shift 3
    local opts=()
    while [ "$1" != "--" ]; do opts+=("$1"); shift; done
    local command=$2
    local csv="$OUT/.$scale.csv"
    COMMAND[$scale,$label]=$command
    hyperfine --style none --warmup "${WARMUP:-1}" --runs "$runs" -N "${opts[@]}" \
        --export-csv "$csv" -- "$command" >/dev/null 2>&1 || {
        echo "  $label failed at $scale; skipped" >&2
        return
    }
    MEDIAN[$scale,$label]=$(median_ms "$csv")
    CPU[$scale,$label]=$(cpu_ms "$csv")
    if [[ " ${LABELS[*]} " != *" $label "* ]]; then LABELS+=("$label"); fi
    echo "  $scale $label: ${MEDIAN[$scale,$label]} ms (cpu ${CPU[$scale,$label]} ms)" >&2
}

for scale in $SCALES; do
    read -r people entries seed <<<"$(size "$scale")"
    ENTRIES[$scale]=$entries
    ledger="$OUT/$scale.json"
    journal="$OUT/$scale.journal"
    sample=$("$GEN" --people "$people" --entries "$entries" --seed "$seed" \
        --out "$ledger" --hledger "$journal" | sed -n 's/^sample person: //p')
    rm -f "$ledger".*
    # Flush the new files first: their writeback would otherwise run during
    # the first benchmark (it made `balance` at L look 50% slower than `who`).
    sync "$ledger" "$journal"
    echo "$scale: $people people, $entries entries, $(du -m "$ledger" | cut -f1) MB; sample: $sample" >&2
    runs=10
    hruns=5
    case $scale in
        L) runs=5 hruns=3 ;;
        XL) runs=3 hruns=1 ;;
    esac
    k="$KITH --ledger $ledger"
    # The first read builds the snapshot; every warm-up run after it uses it.
    $k stats >/dev/null
    bench "$scale" "balance --json" $runs -- "$k balance --json"
    bench "$scale" "balance --json, no snapshot" $runs -- "$k --no-cache balance --json"
    bench "$scale" "balance --json, snapshot rebuilt" $runs \
        --prepare "rm -f $ledger.snap" -- "$k balance --json"
    $k stats >/dev/null
    if has who; then bench "$scale" "who --json" $runs -- "$k who --json"; fi
    if has check; then bench "$scale" "check NAME" $runs -- "$k check \"$sample\""; fi
    if has followups; then bench "$scale" "followups" $runs -- "$k followups"; fi
    if has stats; then bench "$scale" "stats" $runs -- "$k stats"; fi
    if has people; then bench "$scale" "people --json" $runs -- "$k people --json"; fi
    if has report; then
        bench "$scale" "report --week --format json" $runs -- "$k report --week --format json"
    fi
    bench "$scale" "log -n 20" $runs -- "$k log -n 20"
    # Writes start from a ledger kith wrote (so its snapshot says the text is
    # kith's own and the write can splice), copied fresh before each run.
    base="$OUT/$scale.base.json"
    work="$OUT/$scale.work.json"
    cp "$ledger" "$base"
    $KITH --ledger "$base" --quiet met "$sample" "warm-up" >/dev/null
    prepare="sh -c 'cp $base $work && cp $base.snap $work.snap && rm -f $work.bak $work.undo && sync $work $work.snap'"
    bench "$scale" "gave (write)" $runs --prepare "$prepare" \
        -- "$KITH --ledger $work gave \"$sample\" lunch --kind gift"
    WARMUP=$([ "$scale" = XL ] && echo 0 || echo 1) \
        bench "$scale" "hledger bal" $hruns -- "hledger -f $journal bal"
    for label in "${LABELS[@]}"; do
        command=${COMMAND[$scale,$label]:-}
        [ -n "$command" ] || continue
        case $label in
            "hledger bal") PEAK[$scale,$label]=$(peak_mb hledger -f "$journal" bal) ;;
            "gave (write)")
                sh -c "cp $base $work && cp $base.snap $work.snap && rm -f $work.bak $work.undo"
                PEAK[$scale,$label]=$(peak_mb $KITH --ledger "$work" gave "$sample" lunch) ;;
            "check NAME") PEAK[$scale,$label]=$(peak_mb $KITH --ledger "$ledger" check "$sample") ;;
            *snapshot\ rebuilt)
                rm -f "$ledger.snap"
                PEAK[$scale,$label]=$(peak_mb $KITH --ledger "$ledger" balance --json) ;;
            *) eval "PEAK[\$scale,\$label]=\$(peak_mb $command)" ;;
        esac
    done
    if [ -z "${KEEP:-}" ]; then
        rm -f "$ledger" "$ledger".* "$journal" "$base" "$base".* "$work" "$work".*
    fi
done

{
    printf '| command |'
    for scale in $SCALES; do printf ' %s median |' "$scale"; done
    for scale in $SCALES; do printf ' %s peak |' "$scale"; done
    printf '\n|---|'
    for _ in $SCALES $SCALES; do printf -- '---:|'; done
    printf '\n'
    for label in "${LABELS[@]}"; do
        printf '| `%s` |' "$label"
        for scale in $SCALES; do
            printf ' %s ms (cpu %s) |' "${MEDIAN[$scale,$label]:-–}" "${CPU[$scale,$label]:-–}"
        done
        for scale in $SCALES; do printf ' %s MB |' "${PEAK[$scale,$label]:-–}"; done
        printf '\n'
    done
    printf '| hledger bal / kith balance |'
    for scale in $SCALES; do
        h=${MEDIAN[$scale,hledger bal]:-}
        b=${MEDIAN[$scale,balance --json]:-}
        if [ -n "$h" ] && [ -n "$b" ]; then
            awk -v h="$h" -v b="$b" 'BEGIN { printf " %.0f× |", h / b }'
        else
            printf ' – |'
        fi
    done
    for _ in $SCALES; do printf ' |'; done
    printf '\n| same, by CPU time |'
    for scale in $SCALES; do
        h=${CPU[$scale,hledger bal]:-}
        b=${CPU[$scale,balance --json]:-}
        if [ -n "$h" ] && [ -n "$b" ] && [ "$b" != 0 ]; then
            awk -v h="$h" -v b="$b" 'BEGIN { printf " %.0f× |", h / b }'
        else
            printf ' – |'
        fi
    done
    for _ in $SCALES; do printf ' |'; done
    printf '\n\n'
    # How each command grows between consecutive sizes, beside the ledger.
    set -- $SCALES
    if [ $# -gt 1 ]; then
        printf '| command |'
        prev=$1
        for scale in "${@:2}"; do
            awk -v a="${ENTRIES[$scale]}" -v b="${ENTRIES[$prev]}" -v p="$prev" -v s="$scale" \
                'BEGIN { printf " %s/%s (entries ×%g) |", s, p, a / b }'
            prev=$scale
        done
        printf '\n|---|'
        for _ in "${@:2}"; do printf -- '---:|'; done
        printf '\n'
        for label in "${LABELS[@]}"; do
            printf '| `%s` |' "$label"
            prev=$1
            for scale in "${@:2}"; do
                a=${MEDIAN[$scale,$label]:-}
                b=${MEDIAN[$prev,$label]:-}
                ca=${CPU[$scale,$label]:-0}
                cb=${CPU[$prev,$label]:-0}
                if [ -n "$a" ] && [ -n "$b" ]; then
                    awk -v a="$a" -v b="$b" -v ca="$ca" -v cb="$cb" 'BEGIN {
                        if (b > 0) printf " ×%.1f", a / b; else printf " –"
                        if (cb > 0) printf " (cpu ×%.1f) |", ca / cb; else printf " |"
                    }'
                else
                    printf ' – |'
                fi
                prev=$scale
            done
            printf '\n'
        done
        printf '\n'
    fi
    printf 'Median wall time, with mean user+system CPU time in ms in brackets.\n'
    printf 'kith %s, %s, load average %s, KITH_TODAY=%s\n' \
        "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(hledger --version | head -1)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$KITH_TODAY"
} | tee "$OUT/results.md"
