package trit;

/**
 * A failure caused by what the user gave trit (a file, a flag, a model): its message is complete,
 * fit to print on one line, and names the input at fault. The CLI prints it and exits with status 2.
 */
public class TritException extends RuntimeException {
    public TritException(String message) {
        super(message);
    }

    public TritException(String message, Throwable cause) {
        super(message, cause);
    }
}
