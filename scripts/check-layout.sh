#!/usr/bin/env bash
# The floors of ARCHITECTURE.md, checked: nothing under src/core/ touches the
# disk, processes, the environment or the terminal, and nothing there imports
# the view, the shell or the commands. Comment lines (`//`, `//!`, `///`) are
# skipped, so docs may name what the code must not use. No file is exempt,
# tests included: core's unit tests build values in memory; tests that read
# files live in tests/cli.
set -euo pipefail
cd "$(dirname "$0")/.."

forbidden='std::(fs|process|env)\b|std::\{[^}]*\b(fs|process|env)\b|\b(e?print(ln)?)!|\b(stdout|stderr|stdin)\b|crate::(shell|view|commands)\b|\benv!'

found=$(grep -rnE "$forbidden" src/core --include='*.rs' | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' || true)
if [[ -n "$found" ]]; then
  echo "error: src/core/ must stay pure (see ARCHITECTURE.md, \"The floors\"):" >&2
  echo "$found" >&2
  echo "hint: move IO into src/shell/ or a command in src/commands/, and pass values into core" >&2
  exit 1
fi
echo "layout: src/core/ is pure"
