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

/**
 * Fraud numbers read one line at a time from CSV, for
 * {@link cn.antifraud.gateway.registry.NumberRegistry#importFraudNumbers}: only the current line is in
 * memory. A bad row makes {@link #next()} throw {@link RejectedRow} with its line number, which the
 * registry counts and skips.
 */
public final class CsvFraudNumberRows implements Iterator<FraudNumber> {
    private final BufferedReader in;
    private final Instant added;
    private long lineNumber;
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
}
