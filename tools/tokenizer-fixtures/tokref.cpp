// Reference answers from a llama.cpp build, for crosscheck.py: loads a vocabulary (vocab only) and writes
//   meta <n_tokens> <bos> <eos> <eot> <eom> <add_bos> <add_eos>
//   tok <id> <is_eog> <hex piece, special=true> <hex piece, special=false>     (one line per token)
//   case <ids...>                                                              (one line per case)
// for the cases in CASES, one per line: "<add_special 0|1> <parse_special 0|1> <hex of the UTF-8 input>".
// An empty piece is written as "-".
//
// build: g++ -O2 -std=c++17 -I$LLAMA/include -I$LLAMA/ggml/include tokref.cpp -L$BUILD/bin -lllama \
//            -Wl,-rpath,$BUILD/bin -o tokref
#include "llama.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

static std::string hex(const std::string & s) {
    if (s.empty()) return "-";
    static const char * digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

static std::string unhex(const std::string & h) {
    std::string out;
    if (h == "-") return out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) out += (char) std::stoi(h.substr(i, 2), nullptr, 16);
    return out;
}

static std::string piece(const llama_vocab * vocab, llama_token id, bool special) {
    std::vector<char> buf(256);
    int n = llama_token_to_piece(vocab, id, buf.data(), (int) buf.size(), 0, special);
    if (n < 0) {
        buf.resize(-n);
        n = llama_token_to_piece(vocab, id, buf.data(), (int) buf.size(), 0, special);
    }
    return std::string(buf.data(), n);
}

int main(int argc, char ** argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s VOCAB.gguf CASES > OUT\n", argv[0]);
        return 1;
    }
    llama_log_set([](ggml_log_level, const char *, void *) {}, nullptr);
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    mp.vocab_only = true;
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    const int n = llama_vocab_n_tokens(vocab);
    printf("meta %d %d %d %d %d %d %d\n", n, llama_vocab_bos(vocab), llama_vocab_eos(vocab), llama_vocab_eot(vocab),
           -2 /* eom is not in the public API */, llama_vocab_get_add_bos(vocab), llama_vocab_get_add_eos(vocab));
    for (int id = 0; id < n; id++) {
        printf("tok %d %d %s %s\n", id, llama_vocab_is_eog(vocab, id), hex(piece(vocab, id, true)).c_str(),
               hex(piece(vocab, id, false)).c_str());
    }
    std::ifstream in(argv[2]);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        int add_special = 0, parse_special = 0;
        std::string h;
        ls >> add_special >> parse_special >> h;
        std::string text = unhex(h);
        std::vector<llama_token> toks(text.size() * 2 + 16);
        int k = llama_tokenize(vocab, text.data(), (int) text.size(), toks.data(), (int) toks.size(),
                               add_special != 0, parse_special != 0);
        if (k < 0) {
            toks.resize(-k);
            k = llama_tokenize(vocab, text.data(), (int) text.size(), toks.data(), (int) toks.size(),
                               add_special != 0, parse_special != 0);
        }
        printf("case");
        for (int i = 0; i < k; i++) printf(" %d", toks[i]);
        printf("\n");
    }
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
