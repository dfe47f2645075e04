#!/usr/bin/env bash
# Regenerates engine/src/test/resources/parity/: a small random llama model written by llama.cpp's own
# GGUF tools (gguf-py, llama-quantize) in F32, Q8_0, Q4_0, TQ2_0 and TQ1_0, and llama.cpp's greedy
# tokens for one prompt (flash attention off, as trit computes attention), which ParityTest replays.
#   LLAMA_SRC=... LLAMA_BIN=... GREEDY=/path/to/llama-greedy tools/crosscheck/make-parity-fixtures.sh
# llama-greedy is a 100-line C program against libllama that prints prompt_ids/gen_ids (kept outside
# the repository with the llama.cpp build).
set -euo pipefail
: "${LLAMA_SRC:?}" "${LLAMA_BIN:?}" "${GREEDY:?}"
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/../../engine/src/test/resources/parity"
PROMPT="Once upon a time the little cat"
mkdir -p "$OUT"
PYTHONPATH="$LLAMA_SRC/gguf-py" /usr/bin/python3 "$HERE/make_tiny_llama.py" "$OUT/parity-f32.gguf" \
  --dim 256 --ffn 256 --vocab 320 --layers 2 --heads 4 --kv-heads 2 --ctx 128 --seed 7 --name trit-parity
{
  echo "# llama.cpp greedy decoding (llama-greedy, -t 2, flash attention off, BOS added), $(date -u +%F)"
  echo "# llama.cpp: $(cd "$LLAMA_SRC" && git log -1 --format=%h 2>/dev/null || echo unknown)"
  echo "prompt: $PROMPT"
  for t in f32 q8_0 q4_0 tq2_0 tq1_0; do
    [ "$t" = f32 ] || "$LLAMA_BIN/llama-quantize" --pure "$OUT/parity-f32.gguf" "$OUT/parity-$t.gguf" "$t" >/dev/null 2>&1
    "$GREEDY" -m "$OUT/parity-$t.gguf" -p "$PROMPT" -n 40 -t 2 2>/dev/null | grep -E '^(prompt_ids|gen_ids):' | sed "s/^/$t /"
  done
} > "$OUT/expected.txt"
cat "$OUT/expected.txt"
