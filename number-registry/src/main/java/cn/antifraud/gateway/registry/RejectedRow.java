package cn.antifraud.gateway.registry;

/**
 * A bulk-import row that cannot be stored, thrown by the row iterator: the import counts it, skips
 * it and echoes its line and at most {@value ImportRecord#MAX_ECHO} characters of {@code reason}.
 */
public final class RejectedRow extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final long line;

    public RejectedRow(long line, String reason, Throwable cause) {
        super(reason, cause);
        this.line = line;
    }

    /** The line of the input (1-based). */
    public long line() {
        return line;
    }
}
