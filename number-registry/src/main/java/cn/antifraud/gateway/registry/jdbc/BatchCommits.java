package cn.antifraud.gateway.registry.jdbc;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;

/**
 * How a group commit ({@link DurableGroupCommit}, {@link WorkJournal}) treats a failed transaction of many
 * callers' writes: when one row may be at fault (a constraint, a value the database refuses), each write is
 * committed again alone, so only the faulty write's caller fails; when the database itself failed (it could
 * not be reached, refused the session, ran out of resources), every write fails at once.
 */
final class BatchCommits {

    /** One database transaction of some writes. */
    @FunctionalInterface
    interface Transaction<W> {
        void commit(List<W> writes) throws SQLException;
    }

    private BatchCommits() {
    }

    /**
     * Commits {@code batch} in one transaction; on failure, sets each write's failure through {@code failed},
     * as described in the class comment. Returns whether the writes were committed again one by one.
     *
     * @param what names the committer in the log line, e.g. "work journal"
     */
    static <W> boolean commit(List<W> batch, Transaction<W> transaction, BiConsumer<W, SQLException> failed,
                              Logger log, String what) {
        try {
            transaction.commit(batch);
            return false;
        } catch (SQLException | RuntimeException e) {
            if (batch.size() == 1 || !rowMayBeAtFault(e)) {
                SQLException failure = sqlException(e);
                batch.forEach(w -> failed.accept(w, failure));
                return false;
            }
            // Not the exception's text: it may carry the batch's values (PostgreSQL's batch errors quote the statement).
            log.warn("{}: a transaction of {} writes failed ({}, SQLState {}); retrying each write alone", what,
                    batch.size(), e.getClass().getSimpleName(), e instanceof SQLException s ? s.getSQLState() : "none");
        }
        for (W w : batch) {
            try {
                transaction.commit(List.of(w));
            } catch (SQLException | RuntimeException e) {
                failed.accept(w, sqlException(e));
            }
        }
        return true;
    }

    /**
     * False when the database could not be reached or refused the session (connection failures, class
     * 08; resources, 53; shutdown, 57; the pool's timeout): retrying each write alone would then
     * only multiply the wait, up to the pool's connection timeout per write, while every partition
     * thread is blocked. Such a failure fails every write of the batch once, as it would have
     * failed each of them without group commit.
     */
    static boolean rowMayBeAtFault(Exception e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException) {
            return false;
        }
        String state = e instanceof SQLException s ? s.getSQLState() : null;
        return state == null || !(state.startsWith("08") || state.startsWith("53") || state.startsWith("57"));
    }

    private static SQLException sqlException(Exception e) {
        return e instanceof SQLException s ? s : new SQLException(e.toString(), e);
    }
}
