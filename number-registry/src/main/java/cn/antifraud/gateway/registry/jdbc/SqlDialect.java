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

    /**
     * An insert, or a replace of the stored row only when the new row's {@code versionColumn} is higher: a
     * journal's commits may reach the database in the other order than their writes happened, and an older
     * row must not overwrite a newer one. Parameters are bound in the order of {@code keyColumns} followed by
     * {@code valueColumns} (which include {@code versionColumn}); {@code columnTypes} gives the SQL type of
     * each, in that order (H2 needs them to type the parameters of its {@code MERGE ... USING}).
     */
    public String upsertIfNewer(String table, List<String> keyColumns, List<String> valueColumns, String versionColumn,
                                List<String> columnTypes) {
        List<String> columns = new java.util.ArrayList<>(keyColumns);
        columns.addAll(valueColumns);
        if (columnTypes.size() != columns.size() || !valueColumns.contains(versionColumn)) {
            throw new IllegalArgumentException("one type per column and the version among the values: " + columns
                    + ", " + columnTypes + ", " + versionColumn);
        }
        String all = String.join(", ", columns);
        return switch (this) {
            case H2 -> {
                List<String> casts = new java.util.ArrayList<>();
                for (String type : columnTypes) {
                    casts.add("CAST(? AS " + type + ")");
                }
                yield "MERGE INTO " + table + " t USING (VALUES (" + String.join(", ", casts) + ")) AS s (" + all + ") ON "
                        + keyColumns.stream().map(c -> "t." + c + " = s." + c).collect(Collectors.joining(" AND "))
                        + " WHEN MATCHED AND t." + versionColumn + " < s." + versionColumn + " THEN UPDATE SET "
                        + valueColumns.stream().map(c -> c + " = s." + c).collect(Collectors.joining(", "))
                        + " WHEN NOT MATCHED THEN INSERT (" + all + ") VALUES ("
                        + columns.stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
            }
            case POSTGRESQL -> "INSERT INTO " + table + " (" + all + ") VALUES ("
                    + String.join(", ", Collections.nCopies(columns.size(), "?")) + ") ON CONFLICT ("
                    + String.join(", ", keyColumns) + ") DO UPDATE SET "
                    + valueColumns.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "))
                    + " WHERE " + table + "." + versionColumn + " < EXCLUDED." + versionColumn;
        };
    }

    /** The element type name for {@code Connection.createArrayOf} of string keys. */
    public String varcharArrayType() {
        return this == H2 ? "VARCHAR" : "varchar";
    }
}
