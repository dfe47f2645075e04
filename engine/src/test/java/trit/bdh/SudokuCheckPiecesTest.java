package trit.bdh;

import static org.junit.jupiter.api.Assertions.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;
import trit.kernel.Parallel;
import trit.sudoku.Grid;
import trit.sudoku.Symmetry;

class SudokuCheckPiecesTest {
    @TempDir Path dir;

    private static List<Path> pieces(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("exact-")).sorted().toList();
        }
    }

    /** Checking in saved pieces gives what one whole check gives, and a rerun reads back what is there. */
    @Test
    void piecesMergeToTheWholeCheckAndResume() throws Exception {
        BdhModel m = SudokuTask.newModel(SudokuTask.Encoding.CELL, 1, 8, 1, 8, BdhConfig.DEFAULT_THETA, 3);
        BdhParallel p = new BdhParallel(m);
        int[] q = Grid.parse(SudokuTaskTest.PUZZLE), a = SudokuTaskTest.digits(SudokuTaskTest.SOLUTION);
        Symmetry.Transform[] images = SudokuTask.views(7), two = SudokuTask.views(2);
        List<int[]> puzzles = new ArrayList<>(), solutions = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            int[] pi = images[i].apply(q);
            puzzles.add(pi);
            // every other "solution" is the model's own answer, so some puzzles are solved and some are not
            solutions.add(i % 2 == 0 ? SudokuTask.solveCommitting(p, pi, 1, 0.9, two, new int[2]) : images[i].apply(a));
        }
        try (Parallel pool = Parallel.create(2)) {
            SudokuTraining.Check whole = SudokuTraining.check(m, puzzles, solutions, 1, 0.9, 2, pool, null);
            assertTrue(whole.outcomes().contains(SudokuTask.Outcome.SOLVED));
            assertTrue(whole.outcomes().stream().anyMatch(o -> o != SudokuTask.Outcome.SOLVED));

            AtomicInteger last = new AtomicInteger();
            SudokuCheckPieces.Result first = SudokuCheckPieces.check(m, puzzles, solutions, 1, 0.9, 2, pool, dir, 3, last::set);
            assertEquals(0, first.reused());
            assertEquals(7, last.get());
            assertEquals(whole.outcomes(), first.check().outcomes());
            assertEquals(whole.rounds(), first.check().rounds(), 1e-12);
            assertEquals(whole.forcedCommits(), first.check().forcedCommits(), 1e-12);
            assertArrayEquals(whole.density(), first.check().density(), 1e-12);
            List<Path> files = pieces(dir);
            assertEquals(3, files.size(), "pieces of 3, 3 and 1 puzzles");

            Files.delete(files.get(1));
            SudokuCheckPieces.Result again = SudokuCheckPieces.check(m, puzzles, solutions, 1, 0.9, 2, pool, dir, 3, null);
            assertEquals(4, again.reused(), "the two pieces left are read back");
            assertEquals(whole.outcomes(), again.check().outcomes());
            assertEquals(first.check().rounds(), again.check().rounds(), 1e-12);
            assertTrue(again.check().coreSeconds() >= again.check().seconds() && again.check().seconds() > 0);
            assertEquals(3, pieces(dir).size());

            SudokuCheckPieces.Result otherViews = SudokuCheckPieces.check(m, puzzles, solutions, 1, 0.9, 1, pool, dir, 3, null);
            assertEquals(0, otherViews.reused(), "other settings never read these pieces");
            assertEquals(6, pieces(dir).size());

            Files.writeString(files.get(0), "# trit sudoku exact piece v1\n1 2 3\n");
            TritException e = assertThrows(TritException.class,
                    () -> SudokuCheckPieces.check(m, puzzles, solutions, 1, 0.9, 2, pool, dir, 3, null));
            assertTrue(e.getMessage().contains("delete it"), e.getMessage());
        }
    }
}
