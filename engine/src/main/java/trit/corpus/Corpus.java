package trit.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import trit.TritException;

/**
 * A built corpus: {@code manifest.json} plus one text file per split, each {@code train.txt} or
 * {@code train.txt.gz}. {@link #shipped()} is the copy that comes with trit (built by {@code trit corpus}
 * from the Debian packages and kept, gzip-compressed, in the repository's {@code data/corpus/}, which
 * the engine jar carries as resources), so training and evaluation work on any machine.
 *
 * <p>Each split's text is checked against the SHA-256 the manifest records when it is first read.
 * Instances are safe to share between threads.
 */
public final class Corpus {
    /** Where the shipped corpus lives on the class path. */
    public static final String RESOURCE_DIR = "/trit/data/corpus/";

    /** Reads a file of the corpus by name; null if absent. */
    private interface Files2 {
        byte[] read(String name) throws IOException;
    }

    private final String where;
    private final Files2 files;
    private final Map<String, Object> manifest;
    private final Map<Split, String> texts = new EnumMap<>(Split.class);

    private Corpus(String where, Files2 files) {
        this.where = where;
        this.files = files;
        byte[] m = readRequired("manifest.json");
        Object parsed = MiniJson.parse(utf8(m, "manifest.json"), where + "/manifest.json");
        if (!(parsed instanceof Map<?, ?> map) || !CorpusBuilder.FORMAT.equals(map.get("format"))) {
            throw new TritException(where + "/manifest.json: not a trit corpus manifest (format " + CorpusBuilder.FORMAT + ")");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> mm = (Map<String, Object>) map;
        this.manifest = mm;
    }

    private static Corpus shipped;

    /** The corpus shipped with trit. */
    public static synchronized Corpus shipped() {
        if (shipped == null) {
            shipped = new Corpus("trit's shipped corpus (" + RESOURCE_DIR + ")", name -> {
                try (InputStream in = Corpus.class.getResourceAsStream(RESOURCE_DIR + name)) {
                    return in == null ? null : in.readAllBytes();
                }
            });
        }
        return shipped;
    }

    /** A corpus written by {@code trit corpus} into {@code dir}. */
    public static Corpus open(Path dir) {
        if (!Files.isDirectory(dir)) throw new TritException(dir + ": no such directory");
        return new Corpus(dir.toString(), name -> {
            Path p = dir.resolve(name);
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        });
    }

    /** The text of a split of the shipped corpus: what the trainer reads. */
    public static String load(Split split) {
        return shipped().text(split);
    }

    /** The whole text of {@code split}, verified against the manifest's SHA-256. */
    public synchronized String text(Split split) {
        String t = texts.get(split);
        if (t != null) return t;
        Map<String, Object> info = splitInfo(split);
        String file = (String) info.get("file");
        byte[] bytes = read(file);
        String expected = (String) info.get("sha256");
        String actual = CorpusBuilder.sha256(bytes);
        if (!actual.equals(expected)) {
            throw new TritException(where + "/" + file + ": SHA-256 " + actual + " differs from the manifest's " + expected);
        }
        t = utf8(bytes, file);
        texts.put(split, t);
        return t;
    }

    /** The documents of {@code split}, in order, with the ids the manifest lists. */
    public List<Document> documents(Split split) {
        String text = text(split);
        List<String> ids = documentIds(split);
        if (text.isEmpty()) {
            if (!ids.isEmpty()) throw new TritException(where + ": split " + split.label() + " is empty but lists documents");
            return List.of();
        }
        String[] parts = text.substring(0, text.length() - 1).split(CorpusBuilder.DOCUMENT_SEPARATOR, -1);
        if (parts.length != ids.size()) {
            throw new TritException(where + ": split " + split.label() + " holds " + parts.length + " documents, the manifest lists " + ids.size());
        }
        List<Document> out = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) out.add(new Document(ids.get(i), parts[i]));
        return out;
    }

    /** The document ids the manifest lists for {@code split}. */
    public List<String> documentIds(Split split) {
        Object ids = splitInfo(split).get("document_ids");
        if (!(ids instanceof List<?> l)) throw new TritException(where + "/manifest.json: no document_ids for " + split.label());
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) out.add(String.valueOf(o));
        return out;
    }

    /** The SHA-256 of {@code split}'s text as recorded in the manifest. */
    public String sha256(Split split) {
        return (String) splitInfo(split).get("sha256");
    }

    /** The parsed manifest (read-only use). */
    public Map<String, Object> manifest() {
        return manifest;
    }

    /** Where this corpus was read from. */
    public String location() {
        return where;
    }

    private Map<String, Object> splitInfo(Split split) {
        Object splits = manifest.get("splits");
        Object info = splits instanceof Map<?, ?> m ? m.get(split.label()) : null;
        if (!(info instanceof Map<?, ?> im) || !(im.get("file") instanceof String f) || !(im.get("sha256") instanceof String)
                || f.contains("/") || f.contains("\\")) {
            throw new TritException(where + "/manifest.json: no valid entry for split '" + split.label() + "'");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) im;
        return out;
    }

    /** {@code name}, or else {@code name.gz} inflated. */
    private byte[] read(String name) {
        try {
            byte[] plain = files.read(name);
            if (plain != null) return plain;
            byte[] gz = files.read(name + ".gz");
            if (gz == null) throw new TritException(where + ": neither " + name + " nor " + name + ".gz is there");
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(gz.length * 3);
                in.transferTo(out);
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new TritException(where + "/" + name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private byte[] readRequired(String name) {
        try {
            byte[] b = files.read(name);
            if (b == null) throw new TritException(where + ": no " + name + " (build one with: trit corpus)");
            return b;
        } catch (IOException e) {
            throw new TritException(where + "/" + name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private String utf8(byte[] b, String name) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new TritException(where + "/" + name + ": not valid UTF-8");
        }
    }
}
