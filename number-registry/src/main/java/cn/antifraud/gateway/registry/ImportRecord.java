package cn.antifraud.gateway.registry;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable account of one bulk import, kept whatever happens to it: written when it starts,
 * updated as batches are stored, and closed as finished or failed; an import whose node died is
 * marked interrupted when that node starts again, with the counts it had reached.
 *
 * @param id        the import's id, as {@code GET /v1/imports/{id}} takes it
 * @param actor     who imported (the token's name)
 * @param node      the node that ran it
 * @param state     where it stands
 * @param started   when it started
 * @param ended     when it ended; empty while running
 * @param rowsRead  data rows read so far
 * @param stored    rows stored in the registry so far (durable: written through)
 * @param rejected  rows rejected so far
 * @param errors    the first rejections, each a line number and at most {@value #MAX_ECHO} characters of the reason
 * @param detail    why it failed or was interrupted; empty otherwise
 */
public record ImportRecord(String id, String actor, String node, State state, Instant started, Optional<Instant> ended,
                           long rowsRead, long stored, long rejected, List<String> errors, String detail) {
    /** The most characters of a rejected row's reason echoed back, so a 1 MB row cannot come back whole. */
    public static final int MAX_ECHO = 64;
    /** The most rejections listed; the count covers them all. */
    public static final int MAX_ERRORS = 20;

    /** Where an import stands. */
    public enum State {
        RUNNING, FINISHED, FAILED, INTERRUPTED
    }

    public ImportRecord {
        requireNonNull(id, "id");
        requireNonNull(actor, "actor");
        requireNonNull(node, "node");
        requireNonNull(state, "state");
        requireNonNull(started, "started");
        requireNonNull(ended, "ended");
        errors = List.copyOf(errors);
        requireNonNull(detail, "detail");
    }

    /** A rejection as it is echoed: {@code line N: } and at most {@value #MAX_ECHO} characters of the reason. */
    public static String echo(long line, String reason) {
        String r = reason == null ? "" : reason;
        if (r.length() > MAX_ECHO) {
            r = r.substring(0, MAX_ECHO) + "...";
        }
        return "line " + line + ": " + r;
    }
}
