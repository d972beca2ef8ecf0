package cn.antifraud.gateway.registry;

import java.util.List;
import java.util.Optional;

/**
 * Durable records of bulk imports ({@link ImportRecord}), kept by one node: records it starts carry
 * its name, and at start it marks its own unfinished records interrupted. Blocking JDBC: call off
 * event loops.
 */
public interface ImportJournal {

    /** Records a new running import and returns it with its id. */
    ImportRecord start(String actor);

    /** Saves the counts reached so far (after each stored batch), so a crash leaves them behind. */
    void progress(String id, long rowsRead, long stored, long rejected, List<String> errors);

    /** Closes the record as finished or failed with its final counts. */
    ImportRecord end(String id, ImportRecord.State state, long rowsRead, long stored, long rejected, List<String> errors,
                     String detail);

    Optional<ImportRecord> find(String id);

    /**
     * Import runs of every node, newest first (by start, then id), at most {@code limit}; the page's
     * cursor continues after its last record. Keyset paging: a page costs the same however many runs
     * came before it.
     *
     * @param cursor null for the first page, else a {@link Page#nextCursor()} of an earlier page
     * @throws IllegalArgumentException when the cursor is not one this journal handed out
     */
    Page<ImportRecord> list(String cursor, int limit);

    /**
     * Marks this node's imports still recorded as running as interrupted (the node died while running
     * them, e.g. kill -9); called once at start, before the node takes imports. Returns them.
     */
    List<ImportRecord> markInterrupted();
}
