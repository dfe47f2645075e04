package trit.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --history FILE} / {@code --no-history}, shared by the commands that record their runs. */
final class HistoryOption {
    @Option(names = "--history", paramLabel = "FILE",
            description = "Results history to append this run to (default: $TRIT_HISTORY or reports/history.jsonl).")
    Path file;

    @Option(names = "--no-history", description = "Do not record this run in the results history.")
    boolean off;

    void append(String command, Map<String, Object> figures) {
        if (!off) History.append(History.resolve(file), command, figures);
    }
}
