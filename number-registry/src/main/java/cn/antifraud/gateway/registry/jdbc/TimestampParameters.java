package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Binds {@code TIMESTAMP WITH TIME ZONE} parameters for one batch of rows, which mostly share their instants
 * (an import's listing time, the batch's {@code updated_at}). On PostgreSQL an instant is sent as its ISO-8601
 * text with an unspecified type, which the server converts for the column as it converts the driver's own
 * text: the driver's formatting of an {@code OffsetDateTime} was a tenth of the import thread's CPU, and the
 * text of the last instant is kept, so a batch formats each distinct instant once. On H2 (embedded, no text
 * on the wire) the value is bound as {@link Jdbc#timestamp}. Not thread-safe: one per statement batch.
 */
final class TimestampParameters {
    private final SqlDialect dialect;
    private Instant last;
    private String lastText;

    TimestampParameters(SqlDialect dialect) {
        this.dialect = requireNonNull(dialect, "dialect");
    }

    /** Binds {@code instant} (null: SQL NULL) at parameter {@code index}, to microseconds as every write does. */
    void bind(PreparedStatement p, int index, Instant instant) throws SQLException {
        if (instant == null || dialect != SqlDialect.POSTGRESQL) {
            p.setObject(index, Jdbc.timestamp(instant));
            return;
        }
        if (!instant.equals(last)) {
            last = instant;
            lastText = instant.truncatedTo(ChronoUnit.MICROS).toString();
        }
        p.setObject(index, lastText, Types.OTHER);
    }
}
