package trit.sudoku;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Puzzles from an independent generator (Debian's qqwing): our solver must find qqwing's solution, uniquely. */
class QqwingTest {
    @Test
    void agreesWithQqwing() throws Exception {
        List<String> lines = qqwing("--generate", "60", "--difficulty", "expert", "--one-line", "--solution");
        lines.addAll(qqwing("--generate", "240", "--one-line", "--solution"));
        assertEquals(600, lines.size(), "qqwing printed " + lines.size() + " lines");
        Solver s = new Solver();
        int checked = 0;
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            int[] p = Grid.parse(lines.get(i));
            Solver.Result r = s.solve(p, 2);
            assertEquals(1, r.solutions(), lines.get(i));
            assertEquals(lines.get(i + 1).strip(), Dataset.digits(r.solution()), lines.get(i));
            checked++;
        }
        assertEquals(300, checked);
    }

    private static List<String> qqwing(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qqwing"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "qqwing is not installed (apt-get install qqwing)");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) if (!l.isBlank()) lines.add(l.strip());
        return lines;
    }
}
