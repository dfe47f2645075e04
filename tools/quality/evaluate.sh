#!/usr/bin/env bash
# Turns the two training checkpoints into the shipped models and measures docs/QUALITY.md's table:
# test-split perplexity of the FP32 baseline at F32/Q8_0/Q4_0/TQ2_0 (post-training) and of the ternary
# (QAT) model at TQ2_0/TQ1_0/I2_S, next to each checkpoint's own training forward.
#   tools/quality/evaluate.sh TERNARY.ckpt FP32.ckpt [OUTDIR] [THREADS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
T="$ROOT/trit"
TOK="$ROOT/data/tokenizer/trit-bpe-4096.gguf"
TERN="${1:?ternary checkpoint}"; FP="${2:?fp32 checkpoint}"
OUT="${3:-$ROOT/out/quality}"; TH="${4:-2}"
mkdir -p "$OUT" "$ROOT/data/models"
DEF="$ROOT/data/models/trit-default-tq2_0.gguf"; BASE="$ROOT/data/models/trit-baseline-f32.gguf"

"$T" export "$TERN" "$DEF" --type tq2_0 --tokenizer "$TOK" >/dev/null
"$T" export "$FP" "$BASE" --type f32 --embedding-type f32 --tokenizer "$TOK" >/dev/null
for t in tq1_0 i2_s; do "$T" export "$TERN" "$OUT/ternary-$t.gguf" --type "$t" --tokenizer "$TOK" >/dev/null; done
for t in q8_0 q4_0 tq2_0; do "$T" quantize "$BASE" "$OUT/baseline-$t.gguf" --type "$t" -q --json >/dev/null; done

ppl() { "$T" perplexity "$@" ${PPL_TEXT:---split test} --threads "$TH" --json -q; }
row() {  # label file-or-checkpoint-args...
  local label="$1"; shift
  local j; j=$(ppl "$@")
  python3 - "$label" "$j" "${@: -1}" <<'PY'
import json, os, sys
label, j, f = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
size = f"{os.path.getsize(f) / 2**20:.2f} MiB" if f.endswith(".gguf") else "-"
print(f"| {label} | {size} | {j['perplexity']:.2f} | {j['bits_per_byte']:.4f} | {j['tokens']} | {j['tokens_per_second']:.0f} |")
PY
}
echo "| model and format | file | test perplexity | bits/byte | tokens | tokens/s |"
echo "|---|---|---|---|---|---|"
row "baseline, training forward (fp32 checkpoint)" --checkpoint "$FP"
row "baseline F32" --model "$BASE"
row "baseline Q8_0" --model "$OUT/baseline-q8_0.gguf"
row "baseline Q4_0" --model "$OUT/baseline-q4_0.gguf"
row "baseline TQ2_0 (post-training absmean)" --model "$OUT/baseline-tq2_0.gguf"
row "ternary, QAT forward (checkpoint)" --checkpoint "$TERN"
row "ternary TQ2_0 (shipped default)" --model "$DEF"
row "ternary TQ1_0" --model "$OUT/ternary-tq1_0.gguf"
row "ternary I2_S" --model "$OUT/ternary-i2_s.gguf"
for m in "$DEF" "$BASE"; do
  echo; echo "sample, $(basename "$m"), greedy:"
  "$T" generate --model "$m" --prompt "It is a truth universally acknowledged" -n 48 --temperature 0 --threads "$TH" 2>/dev/null
  echo; "$T" generate --model "$m" --prompt "And God said" -n 48 --temperature 0 --threads "$TH" 2>/dev/null; echo
done
