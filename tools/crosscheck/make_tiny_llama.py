#!/usr/bin/python3
# Writes a tiny random-weight `llama`-architecture GGUF (all tensors F32) with a minimal
# SentencePiece-style ("llama") tokenizer: <unk>,<s>,</s>, 256 byte-fallback tokens, then
# "\u2581", a-z, digits/punct, prefixes of common words ("\u2581"-prefixed), A-Z, truncated to the vocab size.
#
# usage: PYTHONPATH=/work/peers/llama.cpp/gguf-py /usr/bin/python3 make_tiny_llama.py OUT.gguf \
#            [--dim 64] [--ffn 128] [--layers 2] [--heads 4] [--kv-heads 2] [--vocab 320] [--ctx 256] [--seed 0]
import argparse
import numpy as np
import gguf

WORDS = ("the of and to in is was for on that with as by at from it his an were are which this be "
         "or has had first one their its new after but who not they have her she two been other when "
         "there all during into school time may years more most only over city some world would where "
         "later up such used many can state about national out known university united then made "
         "hello world once upon a time little cat dog sat mat ran jumped quick brown fox lazy").split()


def build_vocab(n_vocab):
    toks, scores, types = [], [], []

    def add(t, s, ty):
        toks.append(t); scores.append(s); types.append(ty)

    add("<unk>", 0.0, gguf.TokenType.UNKNOWN)
    add("<s>", 0.0, gguf.TokenType.CONTROL)
    add("</s>", 0.0, gguf.TokenType.CONTROL)
    for b in range(256):
        add("<0x%02X>" % b, 0.0, gguf.TokenType.BYTE)
    seen = set()
    normal = []
    # order matters when the vocab is small: "\u2581", a-z, digits/punct, word prefixes, then A-Z
    chars = ["\u2581"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + list("0123456789.,!?'\"-:;()")
    for c in chars:
        if c not in seen:
            seen.add(c); normal.append(c)
    # prefixes of "\u2581word", shortest first, so that every multi-char token is reachable by pair merges
    for L in range(2, 12):
        for w in WORDS:
            p = ("\u2581" + w)[:L]
            if len(p) == L and p not in seen:
                seen.add(p); normal.append(p)
    for c in [chr(c) for c in range(ord("A"), ord("Z") + 1)]:
        if c not in seen:
            seen.add(c); normal.append(c)
    n_left = n_vocab - len(toks)
    if n_left < 0:
        raise SystemExit("vocab must be >= 259")
    normal = normal[:n_left]
    for i, t in enumerate(normal):
        # SPM merge priority: higher score wins; prefer longer pieces
        add(t, -float(i) / 1000.0 + len(t), gguf.TokenType.NORMAL)
    i = 0
    while len(toks) < n_vocab:
        add("<unused%d>" % i, -1e9, gguf.TokenType.UNUSED); i += 1
    return toks, scores, types


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--ffn", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=320)
    ap.add_argument("--ctx", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--name", default="tiny-llama-random")
    a = ap.parse_args()

    hd = a.dim // a.heads
    kv_dim = hd * a.kv_heads
    rng = np.random.default_rng(a.seed)

    def w(out_dim, in_dim):  # numpy shape (rows=out, cols=in) == ggml ne = [in, out]
        return (rng.standard_normal((out_dim, in_dim)) / np.sqrt(in_dim)).astype(np.float32)

    def norm(n):
        return (1.0 + 0.1 * rng.standard_normal(n)).astype(np.float32)

    wr = gguf.GGUFWriter(a.out, "llama")
    wr.add_name(a.name)
    wr.add_context_length(a.ctx)
    wr.add_embedding_length(a.dim)
    wr.add_block_count(a.layers)
    wr.add_feed_forward_length(a.ffn)
    wr.add_head_count(a.heads)
    wr.add_head_count_kv(a.kv_heads)
    wr.add_rope_dimension_count(hd)
    wr.add_rope_freq_base(10000.0)
    wr.add_layer_norm_rms_eps(1e-5)
    wr.add_vocab_size(a.vocab)
    wr.add_file_type(gguf.LlamaFileType.ALL_F32)

    toks, scores, types = build_vocab(a.vocab)
    wr.add_tokenizer_model("llama")
    wr.add_tokenizer_pre("default")
    wr.add_token_list(toks)
    wr.add_token_scores(scores)
    wr.add_token_types(types)
    wr.add_bos_token_id(1)
    wr.add_eos_token_id(2)
    wr.add_unk_token_id(0)
    wr.add_add_bos_token(True)
    wr.add_add_eos_token(False)

    wr.add_tensor("token_embd.weight", (rng.standard_normal((a.vocab, a.dim))).astype(np.float32))
    for l in range(a.layers):
        p = "blk.%d." % l
        wr.add_tensor(p + "attn_norm.weight", norm(a.dim))
        wr.add_tensor(p + "attn_q.weight", w(a.dim, a.dim))
        wr.add_tensor(p + "attn_k.weight", w(kv_dim, a.dim))
        wr.add_tensor(p + "attn_v.weight", w(kv_dim, a.dim))
        wr.add_tensor(p + "attn_output.weight", w(a.dim, a.dim))
        wr.add_tensor(p + "ffn_norm.weight", norm(a.dim))
        wr.add_tensor(p + "ffn_gate.weight", w(a.ffn, a.dim))
        wr.add_tensor(p + "ffn_up.weight", w(a.ffn, a.dim))
        wr.add_tensor(p + "ffn_down.weight", w(a.dim, a.ffn))
    wr.add_tensor("output_norm.weight", norm(a.dim))
    wr.add_tensor("output.weight", w(a.vocab, a.dim))

    wr.write_header_to_file()
    wr.write_kv_data_to_file()
    wr.write_tensors_to_file()
    wr.close()
    print("wrote", a.out)


if __name__ == "__main__":
    main()
