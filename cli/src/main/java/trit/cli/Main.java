package trit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import trit.TritException;

/**
 * Entry point. Exit status: 0 success, 2 bad input (unreadable file, invalid flag or value),
 * 1 an internal error (a bug: rerun with --debug for the stack trace).
 */
@Command(name = "trit", mixinStandardHelpOptions = true, version = "trit 0.1.0",
        description = "Cheap AI inference on CPUs, with measured numbers: ternary (BitNet b1.58) and quantized GGUF models.",
        subcommands = {DemoCommand.class, GenerateCommand.class, ChatCommand.class, BenchCommand.class, SynthCommand.class,
                RoiCommand.class, PlanCommand.class, ReportCommand.class,
                InspectCommand.class, QuantizeCommand.class, BdhCommand.class, TrainCommand.class, ExportCommand.class,
                CorpusCommand.class, SudokuCommand.class, TokenizerCommand.class, PerplexityCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs trit with the given streams and returns the exit status (used by tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        cl.setOut(o);
        cl.setErr(e);
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        cl.setParameterExceptionHandler((ex, a) -> {
            String cmd = ex.getCommandLine().getCommandName();
            e.println("trit: " + oneLine(ex.getMessage()) + " (see: trit " + ("trit".equals(cmd) ? "" : cmd + " ") + "--help)");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> report(ex, e, debug));
        try {
            return cl.execute(args);
        } finally {
            o.flush();
            e.flush();
        }
    }

    static int report(Throwable ex, PrintWriter err, boolean debug) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        int code;
        String msg;
        if (t instanceof TritException) {
            code = EXIT_BAD_INPUT;
            msg = t.getMessage();
        } else if (t instanceof NoSuchFileException n) {
            code = EXIT_BAD_INPUT;
            msg = n.getFile() + ": no such file";
        } else if (t instanceof IOException) {
            code = EXIT_BAD_INPUT;
            msg = t.getMessage();
        } else if (t instanceof OutOfMemoryError) {
            code = EXIT_INTERNAL;
            msg = "out of memory (raise the heap with TRIT_JAVA_OPTS=-Xmx..., or use a smaller model)";
        } else {
            code = EXIT_INTERNAL;
            msg = "internal error: " + t + (debug ? "" : " (run with --debug for the stack trace)");
        }
        err.println("trit: " + oneLine(msg));
        if (debug) ex.printStackTrace(err);
        err.flush();
        return code;
    }

    static String oneLine(String s) {
        if (s == null) return "";
        String first = s.strip().replace("\r", "");
        int nl = first.indexOf('\n');
        return nl < 0 ? first : first.substring(0, nl);
    }
}
