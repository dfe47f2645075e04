package trit.cli;

import java.io.PrintWriter;

/**
 * One status line on stderr, rewritten in place. Silent with --quiet or when stderr is not a
 * terminal (the ./trit launcher tells the JVM, which cannot see through its stderr filter).
 */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final boolean on;
    private int lastLength;

    Progress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.on = !quiet && (Boolean.getBoolean("trit.tty.err") || System.console() != null && System.getProperty("trit.tty.err") == null);
    }

    void update(String status) {
        if (!on) return;
        String s = status.length() > 100 ? status.substring(0, 97) + "..." : status;
        err.print("\r" + s + " ".repeat(Math.max(0, lastLength - s.length())));
        err.flush();
        lastLength = s.length();
    }

    @Override
    public void close() {
        if (on && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
        }
    }
}
