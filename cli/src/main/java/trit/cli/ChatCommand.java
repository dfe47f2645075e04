package trit.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.gguf.GgufFile;
import trit.kernel.Parallel;
import trit.model.Generator;
import trit.model.Session;
import trit.model.Transformer;
import trit.sample.Sampler;
import trit.tokenizer.ChatTemplate;
import trit.tokenizer.TokenDecoder;
import trit.tokenizer.Tokenizer;

/**
 * Interactive chat: each line typed is a user turn; the model's chat template (when it has one)
 * formats the conversation. The KV cache is kept across turns, so only new tokens are processed.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Chat with a model in the terminal (Ctrl-D exits).")
final class ChatCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin SamplingOptions sampling;

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.")
    String system;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "256",
            description = "Most tokens per reply (default: ${DEFAULT-VALUE}).")
    int n;

    @Spec CommandSpec spec;

    /** Where turns are read from (tests replace it). */
    static java.io.InputStream input = System.in;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Sampler sampler = new Sampler(sampling.config());
        try (GgufFile f = GgufFile.open(model.model()); Parallel pool = Parallel.create(model.threads())) {
            Tokenizer tok = Tokenizer.fromGguf(f);
            ChatTemplate template = ChatTemplate.of(tok);
            Transformer m = Transformer.load(f, pool);
            Session s = m.newSession(model.context(m.config().context()));
            List<ChatTemplate.Message> messages = new ArrayList<>();
            if (system != null) messages.add(new ChatTemplate.Message("system", system));
            int[] fed = new int[0];
            BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
            out.println("trit chat: " + f.getString("general.name", model.model().getFileName().toString())
                    + " (template: " + template + "). Ctrl-D exits.");
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null) break;
                if (line.isBlank()) continue;
                messages.add(new ChatTemplate.Message("user", line));
                int[] all = tok.encode(template.apply(messages, true), true, true);
                // keep the cached prefix the template did not rewrite; at least one token must be fed
                int common = Math.min(commonPrefix(fed, all), all.length - 1);
                s.rewind(common);
                int[] fresh = Arrays.copyOfRange(all, common, all.length);
                int room = s.contextLength() - s.position() - fresh.length;
                if (room < 1) {
                    out.println("[context full: start a new chat]");
                    break;
                }
                TokenDecoder dec = tok.decoder();
                StringBuilder reply = new StringBuilder();
                Generator.Result r = Generator.generate(s, fresh, Math.min(n, room), sampler, tok::isEndOfGeneration,
                        (id, lp) -> {
                            if (tok.isEndOfGeneration(id)) return;
                            String piece = dec.next(id);
                            reply.append(piece);
                            out.print(piece);
                            out.flush();
                        });
                reply.append(dec.finish());
                out.println();
                messages.add(new ChatTemplate.Message("assistant", reply.toString()));
                int[] gen = r.tokens();
                // the last sampled token was never fed; the next turn re-encodes and feeds what differs
                fed = concat(all, Arrays.copyOf(gen, Math.max(0, gen.length - 1)));
            }
            out.println();
        }
        return Main.EXIT_OK;
    }

    private static int commonPrefix(int[] a, int[] b) {
        int i = 0;
        while (i < a.length && i < b.length && a[i] == b[i]) i++;
        return i;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
