// llama.cpp's built-in chat formatting, for trit's ChatTemplateTest: for each argument, a template name
// ("name:chatml") or a file holding a Jinja template, prints llama_chat_apply_template's output on
// llama.cpp's test conversation (tests/test-chat-template.cpp), with and then without the generation prompt:
//   === <argument> <add_generation_prompt 1|0> <return value>
//   <output>
//   === end
//
// build: g++ -O1 -std=c++17 -I$LLAMA/include -I$LLAMA/ggml/include chatref.cpp -L$BUILD/bin -lllama \
//            -Wl,-rpath,$BUILD/bin -o chatref
#include "llama.h"
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
int main(int argc, char ** argv) {
    std::vector<llama_chat_message> conv = {
        {"system", "You are a helpful assistant"}, {"user", "Hello"}, {"assistant", "Hi there"},
        {"user", "Who are you"}, {"assistant", "   I am an assistant   "}, {"user", "Another question"}};
    for (int i = 1; i < argc; i++) {
        std::string tmpl;
        std::string arg = argv[i];
        if (arg.rfind("name:", 0) == 0) tmpl = arg.substr(5);
        else { std::ifstream f(arg); std::stringstream ss; ss << f.rdbuf(); tmpl = ss.str(); }
        for (int add = 1; add >= 0; add--) {
            std::vector<char> buf(1 << 16);
            int n = llama_chat_apply_template(tmpl.c_str(), conv.data(), conv.size(), add, buf.data(), buf.size());
            printf("=== %s %d %d\n", arg.c_str(), add, n);
            if (n > 0) fwrite(buf.data(), 1, n, stdout);
            printf("\n=== end\n");
        }
    }
}
