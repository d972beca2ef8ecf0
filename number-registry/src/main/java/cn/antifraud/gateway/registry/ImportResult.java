package cn.antifraud.gateway.registry;

import java.util.List;

/**
 * Outcome of a streaming bulk import: data rows read, rows stored, rows rejected, and the first
 * rejections, each as a line number and at most {@value ImportRecord#MAX_ECHO} characters of the reason
 * (capped at {@value ImportRecord#MAX_ERRORS}, so a million bad rows do not make a million-line answer).
 */
public record ImportResult(long rowsRead, long stored, long rejected, List<String> firstErrors) {
    public ImportResult {
        firstErrors = List.copyOf(firstErrors);
    }
}
