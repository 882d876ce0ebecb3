#!/usr/bin/env bash
# Regenerates the console blocks of README.md from examples/ledger.json: every
# block that opens with a `$ kith ARGS` line gets that command's output, run as
# of the example's day. Run it after examples/build-ledger.sh.
#
#   scripts/readme-tour.sh [path/to/kith]
set -euo pipefail
cd "$(dirname "$0")/.."
kith=${1:-target/release/kith}
[ -x "$kith" ] || cargo build --release --quiet
export KITH_LEDGER=examples/ledger.json KITH_TODAY=2026-11-20 NO_COLOR=1
unset KITH_COLOR VISUAL EDITOR
out=$(mktemp)
trap 'rm -f "$out"' EXIT
in_block=0
while IFS= read -r line || [ -n "$line" ]; do
  if [ "$in_block" = 1 ]; then
    if [ "$line" = '```' ]; then
      in_block=0
      printf '%s\n' "$line"
    fi
    continue
  fi
  printf '%s\n' "$line"
  if [ "$line" = '```console' ]; then
    IFS= read -r command
    printf '%s\n' "$command"
    case $command in
      '$ kith '*)
        eval "\"\$kith\" ${command#'$ kith '}" </dev/null
        in_block=1
        ;;
    esac
  fi
done <README.md >"$out"
cat "$out" >README.md
