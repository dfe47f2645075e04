package trit.gguf;

import trit.TritException;

/** A GGUF file that cannot be read or written; the message names the file and what is wrong. */
public final class GgufException extends TritException {
    public GgufException(String message) {
        super(message);
    }

    public GgufException(String message, Throwable cause) {
        super(message, cause);
    }
}
