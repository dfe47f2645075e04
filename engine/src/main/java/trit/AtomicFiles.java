package trit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files through a temporary sibling and a rename, so that a failure (or a crash) never leaves
 * half a file and never touches what was there before. Every output trit writes goes through here.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Fills the temporary file. */
    @FunctionalInterface
    public interface Fill {
        void into(Path tmp) throws IOException;
    }

    /** Replaces {@code target} with what {@code fill} writes into a temporary sibling. */
    public static void replace(Path target, Fill fill) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            fill.into(tmp);
            try {
                // temporary files are private; the result is an ordinary file
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep its defaults
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #replace} with bytes; a failure is a one-line {@link TritException}. */
    public static void write(Path target, byte[] bytes) {
        try {
            replace(target, tmp -> Files.write(tmp, bytes));
        } catch (IOException e) {
            throw new TritException(target + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    /** {@link #write(Path, byte[])} with UTF-8 text. */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }
}
