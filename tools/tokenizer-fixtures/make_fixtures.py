#!/usr/bin/env python3
"""Cuts llama.cpp's test vocabularies down to small tokenizer fixtures for trit's tests.

For each name, reads MODELS/ggml-vocab-NAME.gguf with its test vectors NAME.gguf.inp / .gguf.out
(llama.cpp's tests/test-tokenizer-0 format) and writes engine/src/test/resources/tokenizer/NAME.gguf
holding only what tokenizing those inputs can touch:

  * every token whose text occurs in some input, in the form the tokenizer sees it: GPT-2 byte
    characters for byte-level BPE; U+2581 for spaces in SentencePiece and Gemma 4 (plus tokens that are
    U+2581 followed by such a substring, for the space put in front of the text);
  * every merge "A B" whose joined text A+B occurs in some input. A merge can only apply inside a word,
    and every word is a substring of its input, so merges left out could never have fired; ranks keep
    their order, which is all that BPE compares;
  * every token that is not NORMAL (control, user-defined, unknown, unused, byte), the 256 GPT-2 byte
    characters, the special ids in the metadata (or llama.cpp's defaults), and the tokens llama.cpp
    recognises by their text (<|eot_id|>, </s>, ...).

This is a superset of "substrings of the pre-tokenized words", so it needs no pre-tokenizer of its own.
A few extra texts the Java tests tokenize (special tokens, chat prompts; EXTRA_TEXTS below) are treated as
inputs for this choice and stored as trit.fixture.extra_texts; the tests hold llama.cpp's answers for them.

Token ids are renumbered densely (keeping their order); the int32 array trit.fixture.original_ids maps
a fixture id back to the vocabulary's. The inputs and llama.cpp's expected ids (original numbering,
space-separated) are stored as the string arrays trit.fixture.inputs and trit.fixture.expected.

usage: PYTHONPATH=/work/peers/llama.cpp/gguf-py python3 tools/tokenizer-fixtures/make_fixtures.py \\
           [--models /work/peers/llama.cpp/models] [--out engine/src/test/resources/tokenizer] [NAME ...]
"""
from __future__ import annotations

import argparse
import os
import sys

import gguf
from gguf import GGUFReader, GGUFValueType, GGUFWriter

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NAMES = ["llama-spm", "phi-3", "llama-bpe", "gpt-2", "qwen2", "qwen35", "deepseek-llm", "deepseek-coder",
         "falcon", "command-r", "mpt", "starcoder", "refact", "gemma-4"]

TYPE_NORMAL = 1
SPACE = "\u2581"

# token texts llama.cpp gives a meaning on load (EOT/EOM/FIM/EOG recognition, gpt-oss, Gemma 4 rules)
RECOGNISED_TEXTS = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
    "_<EOT>", "[EOT]", "<\uff5cend\u2581of\u2581sentence\uff5c>", "<end_of_utterance>", "<|eom_id|>",
    "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]", "<|fim_repo|>", "<|repo_name|>", "<fim-repo>",
    "<REPO>", "<reponame>", "<|file_sep|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "</s>",
    "[EOS]", "<eos>", "<turn|>", "<|tool_response>", "[e~[", "<|channel|>", "<|message|>", "<|start|>",
    "<|constrain|>", "<unk>", "<s>",
    "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<\uff5cfim\u2581begin\uff5c>", "<PRE>", "\u2581<PRE>",
    "<|code_prefix|>", "<|prefix|>", "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<\uff5cfim\u2581hole\uff5c>",
    "<SUF>", "\u2581<SUF>", "<|code_suffix|>", "<|suffix|>", "<|fim_middle|>", "<fim-middle>", "<fim_middle>",
    "<\uff5cfim\u2581end\uff5c>", "<MID>", "\u2581<MID>", "<|code_middle|>", "<|middle|>",
}

# texts the Java tests tokenize besides llama.cpp's vectors (special tokens, chat prompts): only used to
# choose what to keep; the tests hold llama.cpp's answers for them
EXTRA_TEXTS = {
    "llama-bpe": ["Hello world<|eot_id|> Hello",
                  "<|start_header_id|>user<|end_header_id|>\n\nHello world<|eot_id|>",
                  "<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant<|eot_id|>"
                  "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
                  "<|start_header_id|>assistant<|end_header_id|>\n\n"],
    "qwen2": ["<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n"
              "<|im_start|>assistant\n"],
    "phi-3": ["<|system|>\nYou are a helpful assistant<|end|>\n<|user|>\nHello<|end|>\n<|assistant|>\n",
              "<|user|>\nHello world<|end|>\n<|assistant|>\n", "Hello<|end|>   \n world", "Hello</s>  world"],
    "llama-spm": ["Hello world</s> Hello", "<s>Hello"],
    "command-r": ["<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>You are a helpful assistant<|END_OF_TURN_TOKEN|>"
                  "<|START_OF_TURN_TOKEN|><|USER_TOKEN|>Hello<|END_OF_TURN_TOKEN|>"
                  "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>"],
}

SPECIAL_ID_KEYS = ["bos_token_id", "eos_token_id", "eot_token_id", "eom_token_id", "unknown_token_id",
                   "padding_token_id", "fim_pre_token_id", "fim_suf_token_id", "fim_mid_token_id", "fim_pad_token_id",
                   "fim_rep_token_id", "fim_sep_token_id", "prefix_token_id", "suffix_token_id", "middle_token_id"]


def gpt2_byte_chars() -> list[str]:
    """GPT-2's byte-to-character map, indexed by byte."""
    printable = set(range(ord("!"), ord("~") + 1)) | set(range(0xA1, 0xAD)) | set(range(0xAE, 0x100))
    out, nxt = [], 256
    for b in range(256):
        if b in printable:
            out.append(chr(b))
        else:
            out.append(chr(nxt))
            nxt += 1
    return out


BYTE_CHARS = gpt2_byte_chars()


def read_tests(base: str) -> tuple[list[str], list[str]]:
    with open(base + ".inp", "rb") as f:
        raw = f.read().decode("utf-8")
    sep = "\n__ggml_vocab_test__\n"
    inputs, pos = [], 0
    while pos < len(raw):
        nxt = raw.find(sep, pos)
        if nxt < 0:
            inputs.append(raw[pos:])
            break
        inputs.append(raw[pos:nxt])
        pos = nxt + len(sep)
    with open(base + ".out", "rb") as f:
        outputs = [line.strip() for line in f.read().decode("utf-8").split("\n")]
    if outputs and outputs[-1] == "":
        outputs.pop()
    if len(inputs) != len(outputs):
        sys.exit(f"{base}: {len(inputs)} inputs but {len(outputs)} outputs")
    return inputs, outputs


def field_value(reader: GGUFReader, key: str):
    f = reader.fields.get(key)
    if f is None:
        return None
    t = f.types[0]
    if t == GGUFValueType.STRING:
        return bytes(f.parts[f.data[0]]).decode("utf-8")
    if t == GGUFValueType.ARRAY:
        sub = f.types[1]
        if sub == GGUFValueType.STRING:
            return [bytes(f.parts[i]).decode("utf-8") for i in f.data]
        return [f.parts[i][0].item() for i in f.data]
    return f.parts[f.data[0]][0].item()


def make(name: str, models: str, out_dir: str) -> None:
    base = os.path.join(models, f"ggml-vocab-{name}.gguf")
    inputs, outputs = read_tests(base)
    r = GGUFReader(base)
    model = field_value(r, "tokenizer.ggml.model")
    tokens = field_value(r, "tokenizer.ggml.tokens")
    scores = field_value(r, "tokenizer.ggml.scores")
    types = field_value(r, "tokenizer.ggml.token_type")
    merges = field_value(r, "tokenizer.ggml.merges")
    n = len(tokens)

    # the text each input becomes before merging
    texts = inputs + EXTRA_TEXTS.get(name, [])
    if model == "gpt2":
        hay = ["".join(BYTE_CHARS[b] for b in s.encode("utf-8")) for s in texts]
    else:  # llama (SentencePiece) and gemma4: spaces are U+2581, tokens are raw UTF-8
        hay = [s.replace(" ", SPACE) for s in texts]
    joined = "\x00".join(hay)  # NUL occurs in no input: a match cannot span two inputs

    def reachable(t: str) -> bool:
        return t in joined or (t.startswith(SPACE) and t[1:] in joined)

    keep = set()
    for i, t in enumerate(tokens):
        if (types is not None and types[i] != TYPE_NORMAL) or t in RECOGNISED_TEXTS or reachable(t):
            keep.add(i)
    if model == "gpt2":
        index = {t: i for i, t in enumerate(tokens)}
        keep.update(index[c] for c in BYTE_CHARS if c in index)

    # special ids: as in the metadata, else llama.cpp's defaults for the model
    specials = {}
    for k in SPECIAL_ID_KEYS:
        v = field_value(r, "tokenizer.ggml." + k)
        if v is not None and 0 <= v < n:
            specials[k] = v
    defaults = {"llama": {"bos_token_id": 1, "eos_token_id": 2, "unknown_token_id": 0},
                "gpt2": {"bos_token_id": 11, "eos_token_id": 11}}.get(model, {})
    for k, v in defaults.items():
        if k not in specials and v < n and not (k == "bos_token_id" and field_value(r, "tokenizer.ggml.pre") in ("glm4", "chatglm-bpe")):
            specials[k] = v
    keep.update(specials.values())

    ids = sorted(keep)
    new_id = {old: new for new, old in enumerate(ids)}

    kept_merges = []
    if merges is not None:
        for m in merges:
            sp = m.find(" ", 1)
            if sp > 0 and (m[:sp] + m[sp + 1:]) in joined:
                kept_merges.append(m)

    w = GGUFWriter(os.path.join(out_dir, f"{name}.gguf"), field_value(r, "general.architecture") or "llama")
    w.add_string("general.name", field_value(r, "general.name") or name)
    w.add_string("trit.fixture.source", f"llama.cpp models/ggml-vocab-{name}.gguf with .inp/.out, reduced by "
                 "tools/tokenizer-fixtures/make_fixtures.py")
    w.add_tokenizer_model(model)
    pre = field_value(r, "tokenizer.ggml.pre")
    if pre is not None:
        w.add_tokenizer_pre(pre)
    w.add_token_list([tokens[i] for i in ids])
    if scores is not None:
        w.add_token_scores([float(scores[i]) for i in ids])
    if types is not None:
        w.add_token_types([int(types[i]) for i in ids])
    if merges is not None:
        # an empty array would be dropped by the writer; keep the key present for BPE
        w.add_key_value("tokenizer.ggml.merges", kept_merges, GGUFValueType.ARRAY, GGUFValueType.STRING)
    for k, v in specials.items():
        w.add_uint32("tokenizer.ggml." + k, new_id[v])
    for k in ["add_bos_token", "add_eos_token", "add_space_prefix"]:
        v = field_value(r, "tokenizer.ggml." + k)
        if v is not None:
            w.add_bool("tokenizer.ggml." + k, bool(v))
    template = field_value(r, "tokenizer.chat_template")
    if template:
        w.add_string("tokenizer.chat_template", template)
    w.add_key_value("trit.fixture.original_ids", ids, GGUFValueType.ARRAY, GGUFValueType.INT32)
    w.add_key_value("trit.fixture.inputs", inputs, GGUFValueType.ARRAY, GGUFValueType.STRING)
    w.add_key_value("trit.fixture.expected", outputs, GGUFValueType.ARRAY, GGUFValueType.STRING)
    if name in EXTRA_TEXTS:
        w.add_key_value("trit.fixture.extra_texts", EXTRA_TEXTS[name], GGUFValueType.ARRAY, GGUFValueType.STRING)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.close()
    size = os.path.getsize(os.path.join(out_dir, f"{name}.gguf"))
    print(f"{name:15s} tokens {len(ids):6d}/{n:6d}  merges {len(kept_merges):5d}/{len(merges or []):6d}  "
          f"{size:8d} bytes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="/work/peers/llama.cpp/models")
    ap.add_argument("--out", default=os.path.join(ROOT, "engine", "src", "test", "resources", "tokenizer"))
    ap.add_argument("names", nargs="*", default=NAMES)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for name in a.names:
        make(name, a.models, a.out)


if __name__ == "__main__":
    main()
