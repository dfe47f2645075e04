// For each template file given: prints "=== <file>\n<rc>\n<output with add_ass=true>\n=== end\n<output add_ass=false>\n"
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
