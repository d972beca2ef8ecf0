package cn.antifraud.gateway.registry;

import java.util.List;

/**
 * Outcome of a streaming bulk import: rows stored, rows rejected, and the first rejections with
 * their line numbers and reasons (capped, so a million bad rows do not make a million-line answer).
 */
public record ImportResult(long stored, long rejected, List<String> firstErrors) {
    public ImportResult {
        firstErrors = List.copyOf(firstErrors);
    }
}
