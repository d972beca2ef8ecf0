package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that differs between the two supported databases. Everything else in this package is
 * standard SQL that both accept (SQL:2016 {@code TIMESTAMP WITH TIME ZONE}, identity columns,
 * {@code = ANY(array)}).
 */
public enum SqlDialect {
    /** H2 2.x: upsert by {@code MERGE INTO ... KEY (...)}. */
    H2,
    /** PostgreSQL 15: upsert by {@code INSERT ... ON CONFLICT ... DO UPDATE}. */
    POSTGRESQL;

    /**
     * The dialect of a JDBC URL.
     *
     * @throws IllegalArgumentException for any database other than H2 and PostgreSQL
     */
    public static SqlDialect forUrl(String jdbcUrl) {
        requireNonNull(jdbcUrl, "jdbcUrl");
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported JDBC URL '" + jdbcUrl.split(";|\\?", 2)[0]
                + "': the registry needs jdbc:h2:... or jdbc:postgresql:...");
    }

    /**
     * An insert-or-replace of one row. Parameters are bound in the order of {@code keyColumns}
     * followed by {@code valueColumns}.
     */
    public String upsert(String table, List<String> keyColumns, List<String> valueColumns) {
        String all = String.join(", ", keyColumns) + ", " + String.join(", ", valueColumns);
        String params = String.join(", ", Collections.nCopies(keyColumns.size() + valueColumns.size(), "?"));
        return switch (this) {
            case H2 -> "MERGE INTO " + table + " (" + all + ") KEY (" + String.join(", ", keyColumns) + ") VALUES (" + params + ")";
            case POSTGRESQL -> "INSERT INTO " + table + " (" + all + ") VALUES (" + params + ") ON CONFLICT ("
                    + String.join(", ", keyColumns) + ") DO UPDATE SET "
                    + valueColumns.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        };
    }

    /** The element type name for {@code Connection.createArrayOf} of string keys. */
    public String varcharArrayType() {
        return this == H2 ? "VARCHAR" : "varchar";
    }
}
