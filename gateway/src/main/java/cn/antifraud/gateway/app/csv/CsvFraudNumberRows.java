package cn.antifraud.gateway.app.csv;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.RejectedRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Fraud numbers read one line at a time from CSV, for
 * {@link cn.antifraud.gateway.registry.NumberRegistry#importFraudNumbers}: only the current line is in
 * memory. A bad row makes {@link #next()} throw {@link RejectedRow} with its line number, which the
 * registry counts and skips.
 *
 * <p>The registry counts rows, not lines (header, comments and blank lines are skipped), so the lines of
 * the last {@value #TRAIL} rows handed out are kept: an import that fails can then name the first line it
 * did not store ({@link #lineOfRow}).
 */
public final class CsvFraudNumberRows implements Iterator<FraudNumber> {
    /**
     * Rows whose line is remembered: more than the registry holds unstored (two batches of
     * {@link cn.antifraud.gateway.registry.cluster.HazelcastNumberRegistry#IMPORT_BATCH}) with room for
     * rejected rows among them; 256 KB per running import.
     */
    static final int TRAIL = 32_768;

    private final BufferedReader in;
    private final Instant added;
    private final long[] trail = new long[TRAIL];
    private long lineNumber;
    private long rowsHandedOut;
    private String pending;

    public CsvFraudNumberRows(BufferedReader in, Instant added) {
        this.in = requireNonNull(in, "in");
        this.added = requireNonNull(added, "added");
    }

    @Override
    public boolean hasNext() {
        try {
            while (pending == null) {
                String line = in.readLine();
                if (line == null) {
                    return false;
                }
                lineNumber++;
                if (!FraudNumberCsv.isSkipped(line)) {
                    pending = line;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("reading CSV at line " + (lineNumber + 1), e);
        }
    }

    @Override
    public FraudNumber next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String line = pending;
        pending = null;
        rowsHandedOut++;
        trail[(int) (rowsHandedOut % TRAIL)] = lineNumber;
        try {
            return FraudNumberCsv.parse(line, added);
        } catch (IllegalArgumentException e) {
            throw new RejectedRow(lineNumber, e.getMessage(), e);
        }
    }

    /** The line last read (1-based). */
    public long lineNumber() {
        return lineNumber;
    }

    /** Rows handed out by {@link #next()}, rejected ones included. */
    public long rowsRead() {
        return rowsHandedOut;
    }

    /**
     * The line of the {@code row}th row handed out by {@link #next()} (1-based, rejected rows included, as
     * the registry counts them), if it was handed out and is among the last {@value #TRAIL}.
     */
    public OptionalLong lineOfRow(long row) {
        if (row < 1 || row > rowsHandedOut || rowsHandedOut - row >= TRAIL) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(trail[(int) (row % TRAIL)]);
    }
}
