package trit.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import trit.TritException;
import trit.bdh.BdhModel;
import trit.model.DefaultModel;

/** {@code --model M --passes K --views K}: the Sudoku BDH model a command answers with, and how many images of the grid it reads a round. */
final class SudokuModelOption {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf", description = "A Sudoku BDH model (default: the shipped data/models/" + DefaultModel.BDH_SUDOKU + ").")
    Path model;
    @Option(names = "--passes", description = "Answer passes (default: the number the model was trained with).") Integer passes;
    @Option(names = "--views", defaultValue = "1", paramLabel = "K", description = {"Average each round's digit probabilities over K symmetric images of the",
            "grid (the identity and K-1 fixed Sudoku symmetries; K forward runs a round; default ${DEFAULT-VALUE})."}) int views;

    /** The model file: {@code --model}, or the shipped one. */
    Path path() {
        return model != null ? model : DefaultModel.bdhSudoku();
    }

    BdhModel read() {
        if (views < 1 || views > 64) throw new TritException("--views must be 1..64, got " + views);
        return SudokuModelCommands.readModel(path());
    }

    /** {@code --passes}, or the number the model was trained with. */
    int passes() {
        return passes != null ? passes : SudokuModelCommands.passesOf(path());
    }

    static void checkCommit(double p) {
        if (!(p > 0 && p <= 1)) throw new TritException("--commit must be in (0, 1], got " + p);
    }
}
