package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.ImportJournal;
import cn.antifraud.gateway.registry.ImportRecord;
import cn.antifraud.gateway.registry.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link ImportJournal} in table {@code import_run} (migration V2), for one node. Each call is its
 * own short auto-committed statement, so a record survives whatever happens to the import after it.
 */
final class JdbcImportJournal implements ImportJournal {
    private static final String COLUMNS = "id, actor, node, state, started, ended, rows_read, stored, rejected, errors, detail";
    private static final int MAX_ERRORS_TEXT = 4000;
    private static final int MAX_DETAIL = 500;
    /** The first page of {@link #list}, newest first; the row limit is appended. */
    static final String FIRST_PAGE = "SELECT " + COLUMNS + " FROM import_run ORDER BY started DESC, id DESC LIMIT ";
    /** A later page: the runs after the cursor's (started, id) in the same order; the row limit is appended. */
    static final String NEXT_PAGE = "SELECT " + COLUMNS + " FROM import_run WHERE (started, id) < (?, ?)"
            + " ORDER BY started DESC, id DESC LIMIT ";

    private final StoreContext context;
    private final String node;

    JdbcImportJournal(StoreContext context, String node) {
        this.context = requireNonNull(context, "context");
        this.node = requireNonNull(node, "node");
        if (node.isBlank() || node.length() > 200) {
            throw new IllegalArgumentException("node name must be 1 to 200 characters");
        }
    }

    @Override
    public ImportRecord start(String actor) {
        ImportRecord r = new ImportRecord(UUID.randomUUID().toString(), actor, node, ImportRecord.State.RUNNING,
                Instant.now().truncatedTo(ChronoUnit.MICROS), Optional.empty(), 0, 0, 0, List.of(), "");
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("INSERT INTO import_run (" + COLUMNS
                     + ") VALUES (?, ?, ?, ?, ?, NULL, 0, 0, 0, '', '')")) {
            p.setString(1, r.id());
            p.setString(2, r.actor());
            p.setString(3, node);
            p.setString(4, r.state().name());
            p.setObject(5, Jdbc.timestamp(r.started()));
            p.executeUpdate();
            return r;
        } catch (SQLException e) {
            throw new DatabaseAccessException("recording the start of an import", e);
        }
    }

    @Override
    public void progress(String id, long rowsRead, long stored, long rejected, List<String> errors) {
        update("UPDATE import_run SET rows_read = ?, stored = ?, rejected = ?, errors = ? WHERE id = ? AND state = 'RUNNING'",
                p -> {
                    p.setLong(1, rowsRead);
                    p.setLong(2, stored);
                    p.setLong(3, rejected);
                    p.setString(4, errorsText(errors));
                    p.setString(5, id);
                }, "recording the progress of import " + id);
    }

    @Override
    public ImportRecord end(String id, ImportRecord.State state, long rowsRead, long stored, long rejected,
                            List<String> errors, String detail) {
        if (state == ImportRecord.State.RUNNING) {
            throw new IllegalArgumentException("an import ends as finished, failed or interrupted, not running");
        }
        update("UPDATE import_run SET state = ?, ended = ?, rows_read = ?, stored = ?, rejected = ?, errors = ?, detail = ?"
                + " WHERE id = ?", p -> {
                    p.setString(1, state.name());
                    p.setObject(2, Jdbc.timestamp(Instant.now().truncatedTo(ChronoUnit.MICROS)));
                    p.setLong(3, rowsRead);
                    p.setLong(4, stored);
                    p.setLong(5, rejected);
                    p.setString(6, errorsText(errors));
                    p.setString(7, clip(detail, MAX_DETAIL));
                    p.setString(8, id);
                }, "recording the end of import " + id);
        return find(id).orElseThrow(() -> new IllegalStateException("import " + id + " has no record"));
    }

    @Override
    public Optional<ImportRecord> find(String id) {
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM import_run WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("reading import " + id, e);
        }
    }

    /**
     * {@inheritDoc} The cursor is the last record's start (epoch microseconds) and id, {@code MICROS:ID}.
     * A page is a range of index {@code import_run_by_started} (migration V5): the order is the index's and
     * the cursor condition is a row comparison, which both databases can start the index scan from, so a
     * page reads its own rows whatever the table's size.
     */
    @Override
    public Page<ImportRecord> list(String cursor, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        String sql = (cursor == null ? FIRST_PAGE : NEXT_PAGE) + (limit + 1);
        List<ImportRecord> rows = new ArrayList<>(Math.min(limit + 1, 1001));
        try (Connection c = context.dataSource().getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            if (cursor != null) {
                After after = After.parse(cursor);
                p.setObject(1, Jdbc.timestamp(after.started()));
                p.setString(2, after.id());
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("listing imports", e);
        }
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        ImportRecord last = rows.get(limit - 1);
        return new Page<>(rows.subList(0, limit), After.of(last));
    }

    /** Where a page of {@link #list} continues: after this start and id. */
    private record After(Instant started, String id) {
        static String of(ImportRecord r) {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, r.started());
            return micros + ":" + r.id();
        }

        static After parse(String cursor) {
            int colon = cursor.indexOf(':');
            try {
                if (colon > 0) {
                    long micros = Long.parseLong(cursor.substring(0, colon));
                    return new After(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), cursor.substring(colon + 1));
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // answered below
            }
            throw new IllegalArgumentException("not an import listing cursor");
        }
    }

    @Override
    public List<ImportRecord> markInterrupted() {
        List<String> ids = new ArrayList<>();
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("SELECT id FROM import_run WHERE node = ? AND state = 'RUNNING'")) {
            p.setString(1, node);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("finding interrupted imports", e);
        }
        List<ImportRecord> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            // Counts stay as the last progress left them: that is how far it got.
            update("UPDATE import_run SET state = 'INTERRUPTED', ended = ?, detail = ? WHERE id = ? AND state = 'RUNNING'",
                    p -> {
                        p.setObject(1, Jdbc.timestamp(Instant.now().truncatedTo(ChronoUnit.MICROS)));
                        p.setString(2, "the node stopped while the import ran (found at its next start)");
                        p.setString(3, id);
                    }, "marking import " + id + " interrupted");
            find(id).ifPresent(out::add);
        }
        return out;
    }

    private static ImportRecord read(ResultSet rs) throws SQLException {
        String errors = rs.getString(10);
        return new ImportRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                ImportRecord.State.valueOf(rs.getString(4)), Jdbc.instant(rs, 5), Optional.ofNullable(Jdbc.instant(rs, 6)),
                rs.getLong(7), rs.getLong(8), rs.getLong(9),
                errors == null || errors.isEmpty() ? List.of() : Arrays.asList(errors.split("\n")), rs.getString(11));
    }

    private static String errorsText(List<String> errors) {
        StringBuilder b = new StringBuilder();
        for (String e : errors) {
            String line = e.replace('\n', ' ').replace('\r', ' ');
            if (b.length() + line.length() + 1 > MAX_ERRORS_TEXT) {
                break;
            }
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(line);
        }
        return b.toString();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private void update(String sql, Binder binder, String what) {
        try (Connection c = context.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement(sql)) {
            binder.bind(p);
            p.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseAccessException(what, e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement p) throws SQLException;
    }
}
