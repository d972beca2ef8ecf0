package cn.antifraud.gateway.registry.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Conversions both drivers agree on, and key chunking. */
final class Jdbc {

    private Jdbc() {
    }

    /**
     * An instant as a {@code TIMESTAMP WITH TIME ZONE} parameter, truncated to the microsecond:
     * PostgreSQL keeps no finer, and H2 is made to match so that both databases give back the same value.
     */
    static OffsetDateTime timestamp(Instant instant) {
        if (instant == null) {
            return null;
        }
        // Not OffsetDateTime.ofInstant: it asks the offset for its rules, and ZoneOffset builds new ZoneRules on
        // each call (2% of the CPU samples of the work journal, which converts two instants per row).
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(micros.getEpochSecond(), micros.getNano(), ZoneOffset.UTC),
                ZoneOffset.UTC);
    }

    /** Reads a {@code TIMESTAMP WITH TIME ZONE} column; null stays null. */
    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A string array parameter for {@code column = ANY(?)}: one prepared statement whatever the number of keys. */
    static Array keyArray(Connection c, SqlDialect dialect, Collection<String> keys) throws SQLException {
        return c.createArrayOf(dialect.varcharArrayType(), keys.toArray(new String[0]));
    }

    /** Splits keys into lists of at most {@code size}, so no statement carries an unbounded array. */
    static <T> List<List<T>> chunks(Collection<T> items, int size) {
        List<List<T>> result = new ArrayList<>();
        List<T> current = new ArrayList<>(Math.min(size, items.size()));
        for (T item : items) {
            current.add(item);
            if (current.size() == size) {
                result.add(current);
                current = new ArrayList<>(size);
            }
        }
        if (!current.isEmpty()) {
            result.add(current);
        }
        return result;
    }
}
