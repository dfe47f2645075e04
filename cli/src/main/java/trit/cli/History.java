package trit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trit.TritException;

/**
 * The results history: one JSON object per line, appended by every bench and roi run. Each line is
 * written with one write under an exclusive lock on a file opened for append, so concurrent runs
 * interleave whole lines and a crash can at worst leave one torn last line, which {@link #read} skips.
 */
final class History {
    static final String ENV = "TRIT_HISTORY";
    static final Path DEFAULT = Path.of("reports", "history.jsonl");

    private History() {}

    /** The file: the flag, else $TRIT_HISTORY, else the trit.history property, else reports/history.jsonl. */
    static Path resolve(Path flag) {
        if (flag != null) return flag;
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return Path.of(env);
        String prop = System.getProperty("trit.history");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        return DEFAULT;
    }

    /** Appends {@code figures} as one line, stamped with the time, the command and the machine. */
    static Map<String, Object> append(Path file, String command, Map<String, Object> figures) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        line.put("command", command);
        line.put("machine", Machine.describe());
        line.put("result", figures);
        byte[] bytes = (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                 var lock = ch.lock()) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
            }
        } catch (IOException e) {
            throw new TritException(file + ": cannot append to the results history (" + e.getMessage() + ")");
        }
        return line;
    }

    /** Every whole line of the history, oldest first; a line that does not parse (a torn write) is skipped. */
    static List<Map<String, Object>> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TritException(file + ": no results history yet (run trit bench or trit roi first)");
        } catch (IOException e) {
            throw new TritException(file + ": cannot read (" + e.getMessage() + ")");
        }
        ObjectMapper mapper = new ObjectMapper();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : lines) {
            if (l.isBlank()) continue;
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = mapper.readValue(l, Map.class);
                if (m.get("command") instanceof String && m.get("result") instanceof Map) out.add(m);
            } catch (IOException e) {
                // a torn or foreign line: the rest of the history still counts
            }
        }
        return out;
    }
}
