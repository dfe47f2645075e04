#!/usr/bin/env bash
# Measures trit and llama.cpp on the same synthetic files in one session and prints the ratios
# (the machine is shared and noisy: only ratios from one run mean much).
#   LLAMA_BIN=/path/to/llama.cpp/build/bin tools/peers/compare.sh [WORKDIR] [THREADS]
# Shape: microsoft/bitnet-b1.58-2B-4T, written as llama.cpp's "bitnet" architecture (same tensors;
# llama.cpp has no bitnet-b1.58), embeddings Q6_K for ternary types as llama-quantize makes them.
set -euo pipefail
: "${LLAMA_BIN:?set LLAMA_BIN to a llama.cpp build/bin}"
HERE="$(cd "$(dirname "$0")" && pwd)"
TRIT="$HERE/../../trit"
W="${1:-/tmp/trit-peers}"
T="${2:-2}"
REPS="${REPS:-3}"
TYPES="${TYPES:-tq2_0 tq1_0 q4_0 q8_0}"
mkdir -p "$W"
printf '| type | test | llama.cpp t/s | trit t/s | trit / llama.cpp |\n|---|---|---|---|---|\n'
for t in $TYPES; do
  f="$W/2b4t-$t.gguf"
  [ -f "$f" ] || "$TRIT" synth --arch bitnet-b1.58-2b4t --as bitnet --type "$t" "$f" -q >/dev/null
  lj=$("$LLAMA_BIN/llama-bench" -m "$f" -t "$T" -p 64 -n 32 -r "$REPS" -o json 2>/dev/null)
  tj=$("$TRIT" bench -m "$f" -p 64 -n 32 -r "$REPS" --threads "$T" --json)
  python3 - "$t" "$lj" "$tj" <<'PY'
import json, sys
t, lj, tj = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
for test in ("pp64", "tg32"):
    n_prompt = 64 if test == "pp64" else 0
    l = next(r["avg_ts"] for r in lj if r["n_prompt"] == n_prompt and (r["n_gen"] == 0) == (test == "pp64"))
    m = tj[test]
    print(f"| {t} | {test} | {l:.2f} | {m:.2f} | {m / l:.2f} |")
PY
done
