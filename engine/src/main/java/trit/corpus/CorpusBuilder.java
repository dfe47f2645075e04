package trit.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import trit.TritException;

/**
 * Builds the training text from the Debian packages: reads each source's documents, assigns them to
 * splits ({@link Split#ofDocument}), and writes one text file per split plus {@code manifest.json}
 * (sources, package versions, input and output SHA-256s, document lists, sizes). Nothing depends on
 * the time or the machine, so the same inputs give byte-identical files.
 *
 * <p>A split file is its documents in order (all Austen chapters of the split, then the Bible's),
 * separated by two blank lines ({@code "\n\n\n"}, which normalised text never contains), with a
 * final newline.
 */
public final class CorpusBuilder {
    /** The separator between documents in a split file. */
    public static final String DOCUMENT_SEPARATOR = "\n\n\n";
    public static final String FORMAT = "trit-corpus-1";

    /** A source of documents. */
    public enum Source {
        AUSTEN("austen", "r-cran-janeaustenr", "Jane Austen's six novels (R package janeaustenr 1.0.0, from Project Gutenberg)"),
        KJV("kjv", "bible-kjv-text", "King James Version of the Bible (Bible Retrieval System text 930105)");

        public final String label;
        public final String debianPackage;
        public final String description;

        Source(String label, String debianPackage, String description) {
            this.label = label;
            this.debianPackage = debianPackage;
            this.description = description;
        }

        public static List<Source> parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "austen" -> List.of(AUSTEN);
                case "kjv" -> List.of(KJV);
                case "all" -> List.of(AUSTEN, KJV);
                default -> throw new TritException("unknown source '" + s + "' (austen, kjv or all)");
            };
        }
    }

    /** Where each source's Debian files are; the defaults are Debian's paths. */
    public record Inputs(Path austenData, Path kjvData, Path dpkgStatus) {
        public static Inputs debian() {
            return new Inputs(Austen.DEBIAN_DATA, Kjv.DEBIAN_DATA, Path.of("/var/lib/dpkg/status"));
        }

        /** Whether the files of {@code source} exist. */
        public boolean has(Source source) {
            return switch (source) {
                case AUSTEN -> Files.isRegularFile(austenData.resolveSibling(austenData.getFileName() + ".rdb"));
                case KJV -> Files.isRegularFile(kjvData);
            };
        }
    }

    /** A built corpus: the text of each split, its document ids, and the manifest describing it all. */
    public record Built(Map<Split, String> texts, Map<Split, List<String>> ids, Map<String, Object> manifest) {
        public String manifestJson() {
            return MiniJson.write(manifest);
        }
    }

    private CorpusBuilder() {}

    public static Built build(List<Source> sources, Inputs in) {
        Map<Split, List<Document>> bySplit = new EnumMap<>(Split.class);
        for (Split s : Split.values()) bySplit.put(s, new ArrayList<>());
        List<Object> sourceInfo = new ArrayList<>();
        for (Source src : sources) {
            List<Document> docs;
            List<Path> files;
            switch (src) {
                case AUSTEN -> {
                    docs = Austen.documents(in.austenData());
                    Path base = in.austenData();
                    files = List.of(base.resolveSibling(base.getFileName() + ".rdx"), base.resolveSibling(base.getFileName() + ".rdb"));
                }
                case KJV -> {
                    docs = Kjv.documents(in.kjvData());
                    files = List.of(in.kjvData());
                }
                default -> throw new IllegalStateException();
            }
            for (int i = 0; i < docs.size(); i++) bySplit.get(Split.ofDocument(i)).add(docs.get(i));
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("name", src.label);
            info.put("description", src.description);
            info.put("licence", "public domain (the texts; see docs/CORPUS.md)");
            info.put("debian_package", src.debianPackage);
            info.put("debian_version", debianVersion(in.dpkgStatus(), src.debianPackage));
            List<Object> fileInfo = new ArrayList<>();
            for (Path f : files) {
                Map<String, Object> fi = new LinkedHashMap<>();
                fi.put("path", f.toString());
                fi.put("sha256", sha256(RLazyLoad.readAll(f)));
                fileInfo.add(fi);
            }
            info.put("files", fileInfo);
            info.put("documents", (long) docs.size());
            sourceInfo.add(info);
        }
        return assemble(bySplit, sourceInfo);
    }

    /** Joins each split's documents and describes the result. */
    public static Built assemble(Map<Split, List<Document>> bySplit, List<Object> sourceInfo) {
        Map<Split, String> texts = new EnumMap<>(Split.class);
        Map<Split, List<String>> ids = new EnumMap<>(Split.class);
        long totalChars = 0;
        for (Split s : Split.values()) {
            List<Document> docs = bySplit.get(s);
            List<String> parts = new ArrayList<>(docs.size());
            List<String> names = new ArrayList<>(docs.size());
            for (Document d : docs) {
                if (d.text().contains(DOCUMENT_SEPARATOR) || d.text().isEmpty() || d.text().endsWith("\n")) {
                    throw new IllegalStateException("document " + d.id() + " is not normalised");
                }
                parts.add(d.text());
                names.add(d.id());
            }
            String text = docs.isEmpty() ? "" : String.join(DOCUMENT_SEPARATOR, parts) + "\n";
            texts.put(s, text);
            ids.put(s, names);
            totalChars += text.codePointCount(0, text.length());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("built_by", "trit corpus");
        m.put("sources", sourceInfo);
        m.put("normalisation", "case, spelling and punctuation as printed; line wraps undone (one paragraph per line), "
                + "whitespace runs collapsed to one space, paragraphs separated by a blank line; Bible chapters are "
                + "headed 'Book N' with one verse per line and no verse numbers");
        m.put("documents", "a novel's chapter or a Bible chapter; separated in the split files by two blank lines");
        m.put("split_rule", "per source, in source order: document i is valid if i % 20 == 9, test if i % 20 == 19, else train");
        Map<String, Object> splits = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            String text = texts.get(s);
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            long chars = text.codePointCount(0, text.length());
            Map<String, Object> si = new LinkedHashMap<>();
            si.put("file", s.fileName());
            si.put("sha256", sha256(utf8));
            si.put("bytes", (long) utf8.length);
            si.put("chars", chars);
            si.put("fraction_of_chars", totalChars == 0 ? 0.0 : Math.round(1e4 * chars / (double) totalChars) / 1e4);
            si.put("documents", (long) ids.get(s).size());
            si.put("document_ids", new ArrayList<Object>(ids.get(s)));
            splits.put(s.label(), si);
        }
        m.put("splits", splits);
        return new Built(texts, ids, m);
    }

    /**
     * Writes the split files and {@code manifest.json} into {@code dir}; with {@code gzip}, the text
     * files are {@code train.txt.gz} etc. (the manifest's hashes are always of the uncompressed text).
     */
    public static void write(Built b, Path dir, boolean gzip) {
        for (Split s : Split.values()) {
            byte[] utf8 = b.texts().get(s).getBytes(StandardCharsets.UTF_8);
            if (gzip) trit.AtomicFiles.write(dir.resolve(s.fileName() + ".gz"), gzip(utf8));
            else trit.AtomicFiles.write(dir.resolve(s.fileName()), utf8);
        }
        trit.AtomicFiles.write(dir.resolve("manifest.json"), b.manifestJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Gzip at the highest level; the JDK writes no time or name into the header, so output is repeatable. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(data.length / 3);
        try (GZIPOutputStream out = new GZIPOutputStream(bos, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory: cannot happen
        }
        return bos.toByteArray();
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A package's version from dpkg's status file, or "unknown" off Debian. */
    static String debianVersion(Path status, String pkg) {
        if (status == null || !Files.isRegularFile(status)) return "unknown";
        try {
            boolean inPackage = false;
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith("Package: ")) inPackage = line.substring(9).strip().equals(pkg);
                else if (inPackage && line.startsWith("Version: ")) return line.substring(9).strip();
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
