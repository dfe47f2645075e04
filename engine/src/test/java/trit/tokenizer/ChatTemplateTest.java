package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import trit.TritException;
import trit.tokenizer.ChatTemplate.Message;
import trit.tokenizer.ChatTemplate.Style;

/**
 * Chat formatting against llama.cpp's llm_chat_apply_template: chat-templates.ref holds its output for
 * each named template on llama.cpp's test conversation, with and without the generation prompt (written
 * by tools/tokenizer-fixtures/chatref.cpp).
 */
class ChatTemplateTest {
    static final List<Message> CONVERSATION = List.of(
            Message.system("You are a helpful assistant"), Message.user("Hello"), Message.assistant("Hi there"),
            Message.user("Who are you"), Message.assistant("   I am an assistant   "), Message.user("Another question"));

    /** One output of llama.cpp: template name, add_generation_prompt, text. */
    record Reference(String name, boolean addGenerationPrompt, String text) {
        @Override
        public String toString() {
            return name + (addGenerationPrompt ? " +prompt" : "");
        }
    }

    static final List<Reference> REFERENCES = references();

    private static List<Reference> references() {
        try {
            String ref = Files.readString(TokenizerFixtureTest.resource("chat-templates.ref"), StandardCharsets.UTF_8);
            List<Reference> out = new ArrayList<>();
            int pos = 0;
            while ((pos = ref.indexOf("=== name:", pos)) >= 0) {
                int nl = ref.indexOf('\n', pos);
                String[] h = ref.substring(pos + "=== name:".length(), nl).split(" ");
                int end = ref.indexOf("\n=== end\n", nl);
                out.add(new Reference(h[0], h[1].equals("1"), ref.substring(nl + 1, end)));
                pos = end;
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyStyleButPlainHasAReference() {
        assertEquals((Style.values().length - 1) * 2, REFERENCES.size());
    }

    @ParameterizedTest
    @FieldSource("REFERENCES")
    void formatsAsLlamaCpp(Reference r) {
        ChatTemplate t = ChatTemplate.named(r.name);
        assertEquals(r.name, t.style().id());
        assertEquals(r.text, t.apply(CONVERSATION, r.addGenerationPrompt));
        // a template's own name is also "detected"
        assertEquals(t.style(), ChatTemplate.detect(r.name).style());
    }

    @Test
    void detectsTheTemplatesOfRealModels() {
        assertEquals(Style.PHI3, ChatTemplate.of(TokenizerFixtureTest.fixture("phi-3").tokenizer()).style());
        assertEquals(Style.CHATML, ChatTemplate.of(TokenizerFixtureTest.fixture("qwen2").tokenizer()).style());
        assertEquals(Style.COMMAND_R, ChatTemplate.of(TokenizerFixtureTest.fixture("command-r").tokenizer()).style());
        // llama.cpp does not recognise Gemma 4's template either
        ChatTemplate gemma4 = ChatTemplate.of(TokenizerFixtureTest.fixture("gemma-4").tokenizer());
        assertEquals(Style.PLAIN, gemma4.style());
        assertFalse(gemma4.recognised());

        assertEquals(Style.LLAMA3, ChatTemplate.detect("{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' }}").style());
        assertEquals(Style.GEMMA, ChatTemplate.detect("{{ '<start_of_turn>' + role + '\\n' }}").style());
        assertEquals(Style.ZEPHYR, ChatTemplate.detect("{{ '<|user|>\\n' + message['content'] + '<|endoftext|>' }}").style());
        assertEquals(Style.LLAMA2_SYS_STRIP, ChatTemplate.detect("{{ '[INST] <<SYS>>' + content.strip() }}").style());
        assertEquals(Style.LLAMA2, ChatTemplate.detect("{{ '[INST] ' + message['content'] + ' [/INST]' }}").style());
    }

    @Test
    void withoutATemplateThePlainFormatIsUsed() {
        ChatTemplate none = ChatTemplate.of(TokenizerFixtureTest.fixture("llama-spm").tokenizer());
        assertEquals(Style.PLAIN, none.style());
        assertTrue(none.recognised());
        assertEquals("System: Be brief.\nUser: Hi\nAssistant: Hello!\nUser: Bye\nAssistant:", none.apply(List.of(
                Message.system("Be brief."), Message.user("Hi"), Message.assistant("Hello!"), Message.user("Bye")), true));
        assertEquals("User: Hi\n", none.apply(List.of(Message.user("Hi")), false));
        assertFalse(ChatTemplate.detect("{% for m in messages %}{{ m.content }}{% endfor %}").recognised());
    }

    @Test
    void unknownNamesAreRefused() {
        TritException e = assertThrows(TritException.class, () -> ChatTemplate.named("nope"));
        assertTrue(e.getMessage().contains("chatml") && e.getMessage().contains("llama3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Message(null, "x"));
    }

    /** A formatted two-message chat, tokenized with add_special and parse_special, and llama.cpp's ids. */
    record Prompt(String vocab, int... expected) {}

    static final List<Prompt> PROMPTS = List.of(
            new Prompt("llama-bpe", 128000, 128006, 9125, 128007, 271, 2675, 527, 264, 11190, 18328, 128009, 128006, 882,
                    128007, 271, 9906, 128009, 128006, 78191, 128007, 271),
            new Prompt("qwen2", 151644, 8948, 198, 2610, 525, 264, 10950, 17847, 151645, 198, 151644, 872, 198, 9707, 151645,
                    198, 151644, 77091, 198),
            new Prompt("phi-3", 1, 32006, 887, 526, 263, 8444, 20255, 32007, 32010, 15043, 32007, 32001),
            new Prompt("command-r", 5, 255000, 255008, 5659, 1955, 1671, 19264, 17091, 255001, 255000, 255006, 28339, 255001,
                    255000, 255007));

    @ParameterizedTest
    @FieldSource("PROMPTS")
    void promptsTokenizeAsInLlamaCpp(Prompt p) {
        TokenizerFixtureTest.Fixture fx = TokenizerFixtureTest.fixture(p.vocab);
        Tokenizer t = fx.tokenizer();
        ChatTemplate template = p.vocab.equals("llama-bpe") ? ChatTemplate.named("llama3") : ChatTemplate.of(t);
        String prompt = template.apply(List.of(Message.system("You are a helpful assistant"), Message.user("Hello")), true);
        assertArrayEquals(p.expected, fx.toOriginal(t.encode(prompt, true, true)));
    }
}
