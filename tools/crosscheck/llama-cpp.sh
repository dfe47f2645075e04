#!/usr/bin/env bash
# Cross-checks trit's GGUF writer and encoders against a llama.cpp build (not part of CI: it needs one).
#   LLAMA_SRC=/path/to/llama.cpp LLAMA_BIN=/path/to/build/bin tools/crosscheck/llama-cpp.sh [WORKDIR]
# llama.cpp's source ships in the npm package node-llama-cpp; build it with cmake (CPU, Release).
# Needs python3 with numpy (Debian: python3-numpy) for llama.cpp's gguf-py.
set -euo pipefail
: "${LLAMA_SRC:?set LLAMA_SRC to a llama.cpp source tree}"
: "${LLAMA_BIN:?set LLAMA_BIN to its build/bin}"
HERE="$(cd "$(dirname "$0")" && pwd)"
TRIT="$HERE/../../trit"
W="${1:-$(mktemp -d)}"
mkdir -p "$W"
export PYTHONPATH="$LLAMA_SRC/gguf-py"
PY=/usr/bin/python3
fail=0

# A model written by llama.cpp's own GGUF library (rows of 256 so every TQ type applies).
"$PY" "$HERE/make_tiny_llama.py" "$W/ref-f32.gguf" --dim 256 --ffn 512 --vocab 512 --layers 2 --heads 4 --kv-heads 2 >/dev/null
for t in q8_0 q4_0 tq2_0 tq1_0; do
  "$LLAMA_BIN/llama-quantize" --pure "$W/ref-f32.gguf" "$W/llama-$t.gguf" "$t" >/dev/null 2>&1
done

echo "1. trit reads and inspects every llama.cpp file"
for f in "$W"/llama-*.gguf "$W/ref-f32.gguf"; do "$TRIT" inspect "$f" --json >/dev/null || fail=1; done

echo "2. trit's encoders give llama-quantize's bytes"
for t in q8_0 q4_0; do
  "$TRIT" quantize "$W/ref-f32.gguf" "$W/trit-$t.gguf" --type "$t" -q >/dev/null
  "$PY" "$HERE/cmp_gguf.py" "$W/trit-$t.gguf" "$W/llama-$t.gguf" || fail=1
done
# llama.cpp's TQ types keep each block's absmax, trit ternarizes float input with absmean (BitNet), so
# compare the ternary encoders on ternary input: llama.cpp's TQ2_0 re-encoded by trit vs llama.cpp's TQ1_0.
"$TRIT" quantize "$W/llama-tq2_0.gguf" "$W/trit-tq1_0-from-tq2_0.gguf" --type tq1_0 -q >/dev/null
"$PY" "$HERE/cmp_gguf.py" "$W/trit-tq1_0-from-tq2_0.gguf" "$W/llama-tq1_0.gguf" || fail=1
"$TRIT" quantize "$W/llama-tq1_0.gguf" "$W/trit-tq2_0-from-tq1_0.gguf" --type tq2_0 -q >/dev/null
"$PY" "$HERE/cmp_gguf.py" "$W/trit-tq2_0-from-tq1_0.gguf" "$W/llama-tq2_0.gguf" || fail=1

# K-quants (trit decodes them): llama.cpp's Q4_K_M mix decoded to F32 by each tool must agree bit for bit.
"$LLAMA_BIN/llama-quantize" "$W/ref-f32.gguf" "$W/llama-q4_k_m.gguf" Q4_K_M >/dev/null 2>&1
"$LLAMA_BIN/llama-quantize" --allow-requantize "$W/llama-q4_k_m.gguf" "$W/llama-q4_k_m-to-f32.gguf" F32 >/dev/null 2>&1
"$TRIT" quantize "$W/llama-q4_k_m.gguf" "$W/trit-q4_k_m-to-f32.gguf" --type f32 -q >/dev/null
"$TRIT" inspect "$W/llama-q4_k_m.gguf" | sed -n '/^by type/,$p'
"$PY" "$HERE/cmp_gguf.py" "$W/trit-q4_k_m-to-f32.gguf" "$W/llama-q4_k_m-to-f32.gguf" || fail=1

echo "3. llama.cpp loads and runs every file trit writes"
for t in f16 bf16 tq2_0 tq1_0; do "$TRIT" quantize "$W/ref-f32.gguf" "$W/trit-$t.gguf" --type "$t" -q >/dev/null; done
"$TRIT" demo --out "$W/demo" -q >/dev/null
for f in "$W"/trit-*.gguf "$W"/demo/synthetic-*.gguf; do
  case "$f" in *i2_s*) continue ;; esac   # bitnet.cpp's format; llama.cpp has no I2_S
  if "$LLAMA_BIN/llama-simple" -m "$f" -n 8 "hello" >"$W/run.log" 2>&1; then
    echo "  ok  $(basename "$f")"
  else
    echo "  FAIL $(basename "$f"): $(grep -a -m1 -iE 'error|failed' "$W/run.log")"; fail=1
  fi
done
[ "$fail" = 0 ] && echo "all cross-checks passed" || { echo "some cross-checks FAILED"; exit 1; }
