package trit.sudoku;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    @Test
    void scoresExactMatchAndCellsPerBucket() {
        int[] q = Grid.parse(SolverTest.EASY), a = Grid.parse(SolverTest.EASY_SOLUTION);
        int blanks = 81 - Grid.givens(q);
        List<Dataset.Row> rows = List.of(new Dataset.Row("s", q, a, 0), new Dataset.Row("s", q, a, 20), new Dataset.Row("s", q, a, 100));
        int[] wrongTwo = a.clone();
        int firstBlank = SolverTest.EASY.indexOf('.');
        wrongTwo[firstBlank] = wrongTwo[firstBlank] % 9 + 1;
        wrongTwo[0] = wrongTwo[0] % 9 + 1; // a given miscopied
        List<int[]> preds = new ArrayList<>();
        preds.add(a);
        preds.add(wrongTwo);
        preds.add(null);
        Evaluation.Result r = Evaluation.score(rows, preds);
        assertEquals(3, r.overall().puzzles);
        assertEquals(1, r.overall().exact);
        assertEquals((81 + 79) / 243.0, r.overall().cellAccuracy(), 1e-12);
        assertEquals((blanks + blanks - 1) / (3.0 * blanks), r.overall().blankAccuracy(), 1e-12);
        assertEquals(1, r.missing());
        assertEquals(List.of("0-1", "16-64", "64+"), r.buckets().stream().map(s -> s.name).toList());
        assertEquals(1.0, r.buckets().get(0).exactRate());
        assertEquals(0.0, r.buckets().get(1).exactRate());
        assertEquals("4-16", Evaluation.bucket(4));
        int[] kind = Grid.singles(q);
        long singles = java.util.Arrays.stream(kind).filter(k -> k != Grid.NOT_SINGLE).count();
        assertTrue(singles > 0);
        assertEquals(3 * singles, r.overall().singles);
        boolean firstIsSingle = kind[firstBlank] != Grid.NOT_SINGLE;
        assertEquals((2 * singles - (firstIsSingle ? 1 : 0)) / (3.0 * singles), r.overall().singleAccuracy(), 1e-12);
    }
}
