#!/usr/bin/env python3
"""Prepares a cross-check of trit's tokenizers against a llama.cpp build on random text.

For each of llama.cpp's test vocabularies, and for the llama-bpe vocabulary re-labelled with every other
pre-tokenizer trit supports (so that each pre-tokenizer's splitting is compared on the same tokens),
writes into OUT:
  LABEL.vocab   path of the GGUF vocabulary (a relabelled copy lives in OUT)
  LABEL.cases   random inputs, one per line: "<add_special> <parse_special> <hex UTF-8>"
  LABEL.ref     tokref's answers: special ids, every token's pieces and end-of-generation flag, the
                token ids of every case
Then run the Java side:
  mvn -pl engine test -Dtest=LlamaCppCrossCheckTest -Dtrit.crosscheck.dir=OUT

usage: PYTHONPATH=/work/peers/llama.cpp/gguf-py python3 tools/tokenizer-fixtures/crosscheck.py OUT \\
           [--tokref /tmp/tokref] [--models /work/peers/llama.cpp/models] [--cases 400] [--seed 1]
tokref is built from tools/tokenizer-fixtures/tokref.cpp (see the command at its top).
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess

from gguf import GGUFReader, GGUFValueType, GGUFWriter

VOCABS = ["llama-spm", "phi-3", "llama-bpe", "gpt-2", "qwen2", "qwen35", "deepseek-llm", "deepseek-coder",
          "falcon", "command-r", "mpt", "starcoder", "refact", "gemma-4", "gpt-neox", "aquila", "baichuan"]

# every tokenizer.ggml.pre value trit accepts (the ones not covered by a vocabulary above are relabelled)
PRES = ["default", "llama3", "llama-v3", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano",
        "dbrx", "smaug-bpe", "glm4", "chatglm-bpe", "deepseek-llm", "deepseek-coder", "falcon", "starcoder",
        "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b", "mellum2", "gpt-2", "phi-2",
        "gigachat", "a.x-4.0", "mellum", "mpt", "olmo", "jais", "trillion", "granite-docling", "exaone4",
        "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open", "qwen35"]

WORDS = ["the", "Hello", "world", "don't", "I'm", "we'll", "they've", "you're", "she'd", "it's", "'S", "'LL",
         "'Ve", "'rE", "'M", "'D", "'T", "n't", "ABC", "camelCase", "snake_case", "x", "HTTP", "3D", "a1b2",
         "naïve", "café", "résumé", "Ελληνικά", "русский", "Български", "עברית", "العربية", "हिन्दी", "ไทย",
         "កាន់តែ", "中文字符", "日本語のテキスト", "カタカナ", "한국어", "Ｆｕｌｌｗｉｄｔｈ", "ﬁne", "Straße",
         "İstanbul", "ǅemal", "𐐀𐐁", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "µs", "Ωmega", "Kelvin", "ÅngströmÅ", "e\u0301", "a\u0308\u0301",
         "\u0915\u094D\u0937", "Z\u0351\u036b\u0343\u036a", "각", "<html>", "<|eot_id|>", "<|im_start|>",
         "<s>", "</s>", "<|endoftext|>", "[INST]", "<start_of_turn>", "<unk>", "<0x0A>", "▁", "Ġ", "ĊĊ"]
PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["...", "—", "–", "«", "»", "“", "”", "‘", "’", "¿", "¡",
                                                    "。", "、", "，", "！", "？", "…", "·", "•", "§", "¶"]
SYMBOLS = ["€", "$", "£", "¥", "©", "®", "™", "°", "±", "×", "÷", "∑", "∫", "√", "∞", "≠", "≤", "→", "⇒", "♥",
           "★", "☃", "♪", "⌘", "⅓", "½", "Ⅻ", "²", "٣", "१२", "〇", "①"]
EMOJI = ["😀", "🦙", "🚀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "❤️", "😶‍🌫️", "✅", "🫶", "🧑🏿‍💻", "#️⃣"]
SPACES = [" ", " ", " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\n ", " \t ", "\u00a0", "\u3000",
          "\u2009", "\u0085", "\u2028", "\u200b", "\u000b", "\u000c", "        "]
RARE = ["\u0378", "\u0897", "\U0001FA89", "\U000105C0", "\ue000", "\U000F0000", "\u0001", "\u007f", "\ufffd",
        "\ufeff", "\u200d", "\u00ad", "\U000E0041", "\u2066", "\uffff", "\U0010FFFF"]
DIGITS = "0123456789"


def random_text(rnd: random.Random) -> str:
    parts = []
    for _ in range(rnd.randint(1, 18)):
        k = rnd.random()
        if k < 0.30:
            w = rnd.choice(WORDS)
            parts.append(w.upper() if rnd.random() < 0.1 else w)
        elif k < 0.45:
            parts.append(rnd.choice(SPACES))
        elif k < 0.55:
            parts.append("".join(rnd.choice(DIGITS) for _ in range(rnd.randint(1, 11))))
        elif k < 0.65:
            parts.append("".join(rnd.choice(PUNCT) for _ in range(rnd.randint(1, 4))))
        elif k < 0.72:
            parts.append(rnd.choice(SYMBOLS))
        elif k < 0.80:
            parts.append(rnd.choice(EMOJI))
        elif k < 0.85:
            parts.append(rnd.choice(RARE))
        elif k < 0.92:
            parts.append("".join(chr(rnd.randint(0x20, 0x2FFF)) for _ in range(rnd.randint(1, 4))))
        else:
            parts.append(rnd.choice("ab '") * rnd.randint(2, 40))
    s = "".join(parts) if rnd.random() < 0.5 else " ".join(parts)
    return s


def relabel(src: str, dst: str, pre: str | None) -> None:
    """Copies a vocabulary-only GGUF with tokenizer.ggml.pre replaced (or removed when pre is None)."""
    r = GGUFReader(src)
    w = GGUFWriter(dst, "llama")
    w.kv_data[0].clear()
    for key, f in r.fields.items():
        if key.startswith("GGUF.") or key == "tokenizer.ggml.pre":
            continue
        t = f.types[0]
        if t == GGUFValueType.ARRAY:
            sub = f.types[1]
            if sub == GGUFValueType.STRING:
                val = [bytes(f.parts[i]).decode("utf-8") for i in f.data]
            else:
                val = [f.parts[i][0].item() for i in f.data]
            w.add_key_value(key, val, t, sub)
        elif t == GGUFValueType.STRING:
            w.add_key_value(key, bytes(f.parts[f.data[0]]).decode("utf-8"), t)
        else:
            w.add_key_value(key, f.parts[f.data[0]][0].item(), t)
    if pre is not None:
        w.add_key_value("tokenizer.ggml.pre", pre, GGUFValueType.STRING)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.close()


def prepare(label: str, vocab: str, out: str, tokref: str, n: int, seed: int) -> None:
    rnd = random.Random(f"{seed}:{label}")
    with open(os.path.join(out, label + ".vocab"), "w") as f:
        f.write(vocab + "\n")
    lines = []
    for i in range(n):
        text = random_text(rnd)
        add_special, parse_special = (0, 0) if i % 4 else (rnd.randint(0, 1), 1)
        lines.append(f"{add_special} {parse_special} {text.encode('utf-8').hex() or '-'}")
    cases = os.path.join(out, label + ".cases")
    with open(cases, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, label + ".ref"), "w") as f:
        subprocess.run([tokref, vocab, cases], stdout=f, check=True)
    print(label)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--tokref", default="/tmp/tokref")
    ap.add_argument("--models", default="/work/peers/llama.cpp/models")
    ap.add_argument("--cases", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for v in VOCABS:
        path = os.path.join(a.models, f"ggml-vocab-{v}.gguf")
        if os.path.exists(path):
            prepare(v, path, a.out, a.tokref, a.cases, a.seed)
    bpe = os.path.join(a.models, "ggml-vocab-llama-bpe.gguf")
    for pre in PRES:
        dst = os.path.join(a.out, f"llama-bpe.pre-{pre}.gguf")
        relabel(bpe, dst, pre)
        prepare(f"llama-bpe.pre-{pre}", dst, a.out, a.tokref, a.cases // 2, a.seed)
    dst = os.path.join(a.out, "llama-bpe.pre-none.gguf")
    relabel(bpe, dst, None)
    prepare("llama-bpe.pre-none", dst, a.out, a.tokref, a.cases // 2, a.seed)


if __name__ == "__main__":
    main()
