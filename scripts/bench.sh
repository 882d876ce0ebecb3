#!/usr/bin/env bash
# Times kith at three ledger sizes against hledger on the same favours.
#
#   scripts/bench.sh            # S, M and L (about 5 minutes on 2 cores)
#   SCALES="S M" scripts/bench.sh
#
# Installs hyperfine, hledger and GNU time from the system packages when they
# are missing, builds release, generates the ledgers with the gen_ledger
# example into target/bench, times every read command that this build has
# (commands not there yet are skipped), one write (`gave`, on a copy restored
# before each run) and `hledger bal`, and prints a Markdown table of medians,
# the hledger/kith ratio and peak memory. The table is also written to
# target/bench/results.md. Timings are noisy while the machine is busy: check
# `uptime` and re-run when it is quiet.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/target/bench"
SCALES=${SCALES:-"S M L"}
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

declare -A MEDIAN CPU PEAK
LABELS=()

# bench SCALE LABEL RUNS [hyperfine options...] -- "COMMAND"
# The command is one string, split by hyperfine (-N: no shell in between,
# so its start-up is not timed); quote arguments with spaces in it.
bench() {
    local scale=$1 label=$2 runs=$3
    shift 3
    local opts=()
    while [ "$1" != "--" ]; do opts+=("$1"); shift; done
    local command=$2
    local csv="$OUT/.$scale.csv"
    hyperfine --style none --warmup 1 --runs "$runs" -N "${opts[@]}" \
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
    ledger="$OUT/$scale.json"
    journal="$OUT/$scale.journal"
    sample=$("$GEN" --people "$people" --entries "$entries" --seed "$seed" \
        --out "$ledger" --hledger "$journal" | sed -n 's/^sample person: //p')
    # Flush the new files first: their writeback would otherwise run during
    # the first benchmark (it made `balance` at L look 50% slower than `who`).
    sync "$ledger" "$journal"
    echo "$scale: $people people, $entries entries, $(du -m "$ledger" | cut -f1) MB; sample: $sample" >&2
    runs=10
    [ "$scale" = L ] && runs=5
    k="$KITH --ledger $ledger"
    bench "$scale" "balance --json" $runs -- "$k balance --json"
    if has who; then bench "$scale" "who --json" $runs -- "$k who --json"; fi
    if has check; then bench "$scale" "check NAME" $runs -- "$k check \"$sample\""; fi
    if has report; then
        bench "$scale" "report --week --format json" $runs -- "$k report --week --format json"
    fi
    bench "$scale" "log -n 20" $runs -- "$k log -n 20"
    work="$OUT/$scale.work.json"
    bench "$scale" "gave (write)" $runs \
        --prepare "sh -c 'cp $ledger $work && rm -f $work.bak $work.undo'" \
        -- "$KITH --ledger $work gave \"$sample\" lunch --kind gift"
    hruns=5
    [ "$scale" = L ] && hruns=3
    bench "$scale" "hledger bal" $hruns -- "hledger -f $journal bal"
    for label in "${LABELS[@]}"; do
        case $label in
            "hledger bal") PEAK[$scale,$label]=$(peak_mb hledger -f "$journal" bal) ;;
            "gave (write)")
                cp "$ledger" "$work" && rm -f "$work.bak" "$work.undo"
                PEAK[$scale,$label]=$(peak_mb $KITH --ledger "$work" gave "$sample" lunch) ;;
            "check NAME") PEAK[$scale,$label]=$(peak_mb $KITH --ledger "$ledger" check "$sample") ;;
            *) PEAK[$scale,$label]=$(peak_mb $KITH --ledger "$ledger" $label) ;;
        esac
    done
    rm -f "$work" "$work".*
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
    printf 'Median wall time, with mean user+system CPU time in ms in brackets.\n'
    printf 'kith %s, %s, load average %s, KITH_TODAY=%s\n' \
        "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(hledger --version | head -1)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$KITH_TODAY"
} | tee "$OUT/results.md"
