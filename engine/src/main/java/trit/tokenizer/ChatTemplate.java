package trit.tokenizer;

import java.util.List;
import java.util.Locale;
import trit.TritException;

/**
 * Formats a conversation into a prompt the way a model was trained to read it. Like llama.cpp's
 * llm_chat_detect_template, it does not run the Jinja {@code tokenizer.chat_template}: it recognises the
 * common templates by telltale strings in it and applies a hand-written equivalent. A model without a
 * template, or with one that is not recognised, gets {@link Style#PLAIN} ({@code "User: ...\nAssistant:"}).
 *
 * <p>The prompt does not contain BOS: encode it with {@code addSpecial = true} and
 * {@code parseSpecial = true} so that the tokenizer adds BOS as the model asks and reads the template's
 * control tokens.
 */
public final class ChatTemplate {

    /** One message: role ("system", "user", "assistant", ...) and content. */
    public record Message(String role, String content) {
        public Message {
            if (role == null || content == null) throw new IllegalArgumentException("role and content are required");
        }

        public static Message system(String content) { return new Message("system", content); }
        public static Message user(String content) { return new Message("user", content); }
        public static Message assistant(String content) { return new Message("assistant", content); }
    }

    /** The supported formats, with the names {@link #named(String)} accepts (llama.cpp's names). */
    public enum Style {
        CHATML("chatml"),
        LLAMA2("llama2"),
        LLAMA2_SYS("llama2-sys"),
        LLAMA2_SYS_BOS("llama2-sys-bos"),
        LLAMA2_SYS_STRIP("llama2-sys-strip"),
        MISTRAL_V1("mistral-v1"),
        MISTRAL_V3("mistral-v3"),
        MISTRAL_V3_TEKKEN("mistral-v3-tekken"),
        MISTRAL_V7("mistral-v7"),
        MISTRAL_V7_TEKKEN("mistral-v7-tekken"),
        PHI3("phi3"),
        PHI4("phi4"),
        FALCON3("falcon3"),
        ZEPHYR("zephyr"),
        GEMMA("gemma"),
        VICUNA("vicuna"),
        VICUNA_ORCA("vicuna-orca"),
        DEEPSEEK3("deepseek3"),
        COMMAND_R("command-r"),
        LLAMA3("llama3"),
        PLAIN("plain");

        private final String id;

        Style(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Style style;
    private final boolean recognised;

    private ChatTemplate(Style style, boolean recognised) {
        this.style = style;
        this.recognised = recognised;
    }

    public Style style() {
        return style;
    }

    /** False when the model had a template that was not recognised and {@link Style#PLAIN} stands in for it. */
    public boolean recognised() {
        return recognised;
    }

    /** The template for a model: detected from its {@code tokenizer.chat_template}. */
    public static ChatTemplate of(Tokenizer tokenizer) {
        return detect(tokenizer.chatTemplate());
    }

    /** A template by name ("chatml", "llama3", "plain", ... as {@link Style#id()}). */
    public static ChatTemplate named(String name) {
        for (Style s : Style.values()) {
            if (s.id.equals(name)) return new ChatTemplate(s, true);
        }
        StringBuilder names = new StringBuilder();
        for (Style s : Style.values()) names.append(names.isEmpty() ? "" : ", ").append(s.id);
        throw new TritException("unknown chat template '" + name + "'; known: " + names);
    }

    /**
     * Recognises a Jinja chat template (or a template name) the way llama.cpp does. Null or blank gives
     * {@link Style#PLAIN}; an unrecognised template gives PLAIN with {@link #recognised()} false.
     */
    public static ChatTemplate detect(String template) {
        if (template == null || template.isBlank()) return new ChatTemplate(Style.PLAIN, true);
        for (Style s : Style.values()) {
            if (s.id.equals(template)) return new ChatTemplate(s, true);
        }
        Style s = detectStyle(template);
        return s == null ? new ChatTemplate(Style.PLAIN, false) : new ChatTemplate(s, true);
    }

    private static Style detectStyle(String t) {
        if (t.contains("<|im_start|>")) {
            if (t.contains("<|im_sep|>")) return Style.PHI4;
            if (t.contains("<end_of_utterance>")) return null; // SmolVLM: not ChatML despite <|im_start|>
            return Style.CHATML;
        }
        if (t.startsWith("mistral") || t.contains("[INST]")) {
            if (t.contains("[SYSTEM_PROMPT]")) return Style.MISTRAL_V7;
            if (t.contains("' [INST] ' + system_message") || t.contains("[AVAILABLE_TOOLS]")) {
                if (t.contains(" [INST]")) return Style.MISTRAL_V1;
                if (t.contains("\"[INST]\"")) return Style.MISTRAL_V3_TEKKEN;
                return Style.MISTRAL_V3;
            }
            if (t.contains("content.strip()")) return Style.LLAMA2_SYS_STRIP;
            if (t.contains("bos_token + '[INST]")) return Style.LLAMA2_SYS_BOS;
            if (t.contains("<<SYS>>")) return Style.LLAMA2_SYS;
            return Style.LLAMA2;
        }
        if (t.contains("<|assistant|>") && t.contains("<|end|>")) return Style.PHI3;
        if (t.contains("[gMASK]<sop>")) return null; // ChatGLM4
        if (t.contains("<|assistant|>") && t.contains("<|user|>")) {
            if (t.contains("<|tool_declare|>")) return null; // EXAONE MoE
            return t.contains("</s>") ? Style.FALCON3 : null; // else GLM-Edge
        }
        if (t.contains("<|user|>") && t.contains("<|endoftext|>")) return Style.ZEPHYR;
        if (t.contains("bos_token + message['role']")) return null; // Monarch
        if (t.contains("<start_of_turn>")) return Style.GEMMA;
        if (t.contains("USER: ") && t.contains("ASSISTANT: ")) {
            return t.contains("SYSTEM: ") ? Style.VICUNA_ORCA : Style.VICUNA;
        }
        if (t.contains("<|START_OF_TURN_TOKEN|>") && t.contains("<|USER_TOKEN|>")) return Style.COMMAND_R;
        if (t.contains("<|start_header_id|>") && t.contains("<|end_header_id|>")) return Style.LLAMA3;
        if (t.contains("<\uFF5CAssistant\uFF5C>") && t.contains("<\uFF5CUser\uFF5C>")
                && t.contains("<\uFF5Cend\u2581of\u2581sentence\uFF5C>")) {
            return Style.DEEPSEEK3;
        }
        return null;
    }

    /**
     * The prompt for {@code messages}.
     *
     * @param addGenerationPrompt end with the opening of an assistant turn, for the model to continue
     */
    public String apply(List<Message> messages, boolean addGenerationPrompt) {
        StringBuilder sb = new StringBuilder();
        switch (style) {
            case CHATML -> {
                for (Message m : messages) {
                    sb.append("<|im_start|>").append(m.role).append('\n').append(m.content).append("<|im_end|>\n");
                }
                if (addGenerationPrompt) sb.append("<|im_start|>assistant\n");
            }
            case LLAMA2, LLAMA2_SYS, LLAMA2_SYS_BOS, LLAMA2_SYS_STRIP -> llama2(messages, sb);
            case MISTRAL_V1, MISTRAL_V3, MISTRAL_V3_TEKKEN -> mistral(messages, sb);
            case MISTRAL_V7, MISTRAL_V7_TEKKEN -> {
                String sp = style == Style.MISTRAL_V7 ? " " : "";
                for (Message m : messages) {
                    switch (m.role) {
                        case "system" -> sb.append("[SYSTEM_PROMPT]").append(sp).append(m.content).append("[/SYSTEM_PROMPT]");
                        case "user" -> sb.append("[INST]").append(sp).append(m.content).append("[/INST]");
                        default -> sb.append(sp).append(m.content).append("</s>");
                    }
                }
            }
            case PHI3 -> {
                for (Message m : messages) {
                    sb.append("<|").append(m.role).append("|>\n").append(m.content).append("<|end|>\n");
                }
                if (addGenerationPrompt) sb.append("<|assistant|>\n");
            }
            case PHI4 -> {
                for (Message m : messages) {
                    sb.append("<|im_start|>").append(m.role).append("<|im_sep|>").append(m.content).append("<|im_end|>");
                }
                if (addGenerationPrompt) sb.append("<|im_start|>assistant<|im_sep|>");
            }
            case FALCON3 -> {
                for (Message m : messages) sb.append("<|").append(m.role).append("|>\n").append(m.content).append('\n');
                if (addGenerationPrompt) sb.append("<|assistant|>\n");
            }
            case ZEPHYR -> {
                for (Message m : messages) {
                    sb.append("<|").append(m.role).append("|>\n").append(m.content).append("<|endoftext|>\n");
                }
                if (addGenerationPrompt) sb.append("<|assistant|>\n");
            }
            case GEMMA -> {
                // no system role: the system prompt goes in front of the next user message
                StringBuilder system = new StringBuilder();
                for (Message m : messages) {
                    if (m.role.equals("system")) {
                        system.append(trim(m.content));
                        continue;
                    }
                    String role = m.role.equals("assistant") ? "model" : m.role;
                    sb.append("<start_of_turn>").append(role).append('\n');
                    if (!system.isEmpty() && !role.equals("model")) {
                        sb.append(system).append("\n\n");
                        system.setLength(0);
                    }
                    sb.append(trim(m.content)).append("<end_of_turn>\n");
                }
                if (addGenerationPrompt) sb.append("<start_of_turn>model\n");
            }
            case VICUNA, VICUNA_ORCA -> {
                for (Message m : messages) {
                    switch (m.role) {
                        case "system" -> {
                            if (style == Style.VICUNA_ORCA) sb.append("SYSTEM: ").append(m.content).append('\n');
                            else sb.append(m.content).append("\n\n");
                        }
                        case "user" -> sb.append("USER: ").append(m.content).append('\n');
                        case "assistant" -> sb.append("ASSISTANT: ").append(m.content).append("</s>\n");
                        default -> { }
                    }
                }
                if (addGenerationPrompt) sb.append("ASSISTANT:");
            }
            case DEEPSEEK3 -> {
                for (Message m : messages) {
                    switch (m.role) {
                        case "system" -> sb.append(m.content).append("\n\n");
                        case "user" -> sb.append("<\uFF5CUser\uFF5C>").append(m.content);
                        case "assistant" -> sb.append("<\uFF5CAssistant\uFF5C>").append(m.content)
                                .append("<\uFF5Cend\u2581of\u2581sentence\uFF5C>");
                        default -> { }
                    }
                }
                if (addGenerationPrompt) sb.append("<\uFF5CAssistant\uFF5C>");
            }
            case COMMAND_R -> {
                for (Message m : messages) {
                    String tag = switch (m.role) {
                        case "system" -> "<|SYSTEM_TOKEN|>";
                        case "user" -> "<|USER_TOKEN|>";
                        case "assistant" -> "<|CHATBOT_TOKEN|>";
                        default -> null;
                    };
                    if (tag != null) {
                        sb.append("<|START_OF_TURN_TOKEN|>").append(tag).append(trim(m.content)).append("<|END_OF_TURN_TOKEN|>");
                    }
                }
                if (addGenerationPrompt) sb.append("<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>");
            }
            case LLAMA3 -> {
                for (Message m : messages) {
                    sb.append("<|start_header_id|>").append(m.role).append("<|end_header_id|>\n\n")
                            .append(trim(m.content)).append("<|eot_id|>");
                }
                if (addGenerationPrompt) sb.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
            }
            case PLAIN -> {
                for (Message m : messages) sb.append(capitalized(m.role)).append(": ").append(m.content).append('\n');
                if (addGenerationPrompt) sb.append("Assistant:");
            }
        }
        return sb.toString();
    }

    private void llama2(List<Message> messages, StringBuilder sb) {
        boolean systemTags = style != Style.LLAMA2;
        boolean bosInHistory = style == Style.LLAMA2_SYS_BOS;
        boolean strip = style == Style.LLAMA2_SYS_STRIP;
        boolean insideTurn = true; // the first [INST] follows the BOS the tokenizer adds
        sb.append("[INST] ");
        for (Message m : messages) {
            String content = strip ? trim(m.content) : m.content;
            if (!insideTurn) {
                insideTurn = true;
                sb.append(bosInHistory ? "<s>[INST] " : "[INST] ");
            }
            switch (m.role) {
                case "system" -> {
                    if (systemTags) sb.append("<<SYS>>\n").append(content).append("\n<</SYS>>\n\n");
                    else sb.append(content).append('\n');
                }
                case "user" -> sb.append(content).append(" [/INST]");
                default -> {
                    sb.append(content).append("</s>");
                    insideTurn = false;
                }
            }
        }
    }

    private void mistral(List<Message> messages, StringBuilder sb) {
        String leading = style == Style.MISTRAL_V1 ? " " : "";
        String trailing = style == Style.MISTRAL_V3_TEKKEN ? "" : " ";
        boolean trimAssistant = style == Style.MISTRAL_V3;
        boolean insideTurn = false;
        for (Message m : messages) {
            if (!insideTurn) {
                sb.append(leading).append("[INST]").append(trailing);
                insideTurn = true;
            }
            switch (m.role) {
                case "system" -> sb.append(m.content).append("\n\n");
                case "user" -> sb.append(m.content).append(leading).append("[/INST]");
                default -> {
                    sb.append(trailing).append(trimAssistant ? trim(m.content) : m.content).append("</s>");
                    insideTurn = false;
                }
            }
        }
    }

    /** Strips ASCII whitespace (C's isspace) from both ends. */
    private static String trim(String s) {
        int a = 0, b = s.length();
        while (a < b && isCSpace(s.charAt(a))) a++;
        while (b > a && isCSpace(s.charAt(b - 1))) b--;
        return s.substring(a, b);
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static String capitalized(String role) {
        return role.isEmpty() ? role : role.substring(0, 1).toUpperCase(Locale.ROOT) + role.substring(1);
    }

    @Override
    public String toString() {
        return style.id + (recognised ? "" : " (fallback)");
    }
}
