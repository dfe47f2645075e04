package trit.tensor;

/** Thrown when a tensor uses a type that trit has no decoder (or encoder) for. */
public final class UnsupportedTypeException extends trit.TritException {
    private static final long serialVersionUID = 1L;

    private final transient GgmlType type;

    public UnsupportedTypeException(GgmlType type, String message) {
        super(message);
        this.type = type;
    }

    /** The offending type. */
    public GgmlType type() { return type; }
}
