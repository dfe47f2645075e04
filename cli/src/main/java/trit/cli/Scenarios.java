package trit.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import trit.TritException;

/** Built-in scenarios (JSON resources) and scenario files (JSON or YAML), read into maps for trit.roi. */
final class Scenarios {
    static final List<String> BUILT_IN = List.of("text-api", "sora", "music");

    private Scenarios() {}

    /** A built-in scenario by name, or a file by path. */
    static Map<String, Object> load(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath)) return builtIn(nameOrPath);
        Path p = Path.of(nameOrPath);
        if (!Files.exists(p)) {
            throw new TritException("--scenario " + nameOrPath + ": neither a built-in scenario (" + String.join(", ", BUILT_IN)
                    + ") nor an existing file");
        }
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ObjectMapper mapper = n.endsWith(".yaml") || n.endsWith(".yml") ? new YAMLMapper() : new ObjectMapper();
        try {
            return asMap(mapper.readValue(p.toFile(), Object.class), p.toString());
        } catch (JacksonException e) {
            throw new TritException(p + ": not a valid scenario file (" + Main.oneLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new TritException(p + ": cannot read (" + e.getMessage() + ")");
        }
    }

    static Map<String, Object> builtIn(String name) {
        try (InputStream in = Scenarios.class.getResourceAsStream("/trit/roi/" + name + ".json")) {
            if (in == null) throw new IllegalStateException("built-in scenario " + name + " is missing from the jar");
            return asMap(new ObjectMapper().readValue(in, Object.class), name);
        } catch (IOException e) {
            throw new IllegalStateException("built-in scenario " + name + " does not parse", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, String where) {
        if (!(o instanceof Map<?, ?>)) throw new TritException(where + ": a scenario must be an object (key: value pairs)");
        return (Map<String, Object>) o;
    }

    /** Reads a JSON file as a map (bench results); errors name the flag that gave it. */
    static Map<String, Object> readJson(Path p, String flag) {
        try {
            return asMap(new ObjectMapper().readValue(p.toFile(), Object.class), flag + " " + p);
        } catch (JacksonException e) {
            throw new TritException(flag + " " + p + ": not valid JSON (" + Main.oneLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new TritException(flag + " " + p + ": cannot read (" + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()) + ")");
        }
    }
}
