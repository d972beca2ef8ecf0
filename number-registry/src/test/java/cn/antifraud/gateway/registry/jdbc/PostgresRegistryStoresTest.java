package cn.antifraud.gateway.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract on PostgreSQL 15, the database a cluster shares. */
@ExtendWith(PostgresServer.class)
class PostgresRegistryStoresTest extends RegistryStoresContract {

    private final PostgresServer server;

    PostgresRegistryStoresTest(PostgresServer server) {
        this.server = server;
    }

    @Override
    DatabaseConfig.Builder newDatabase() {
        return server.newDatabase();
    }

    /**
     * {@code GET /v1/imports} pages are ranges of index {@code import_run_by_started} (migration V5): PostgreSQL
     * can read both pages' order from it and start the later page's scan at the cursor (an index condition,
     * not a filter over the runs before it). Sequential and bitmap scans and sorts are turned off for the
     * EXPLAIN because on a table this small the planner would rightly prefer them; what is checked is that
     * the index can serve the page (a plan that needs a sort keeps its Sort node even when sorts are off).
     */
    @Test
    void importRunPagesAreRangesOfTheStartedIndex() throws SQLException {
        var journal = stores.importJournal("node-a");
        for (int i = 0; i < 5; i++) {
            journal.start("ops");
        }
        try (Connection c = stores.dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
                s.execute("SET enable_bitmapscan = off");
                s.execute("SET enable_sort = off");
            }
            String first = explain(c, "EXPLAIN " + JdbcImportJournal.FIRST_PAGE + 51, false);
            assertTrue(first.contains("Index Scan using import_run_by_started"), first);
            assertFalse(first.contains("Sort"), first);

            String next = explain(c, "EXPLAIN " + JdbcImportJournal.NEXT_PAGE + 51, true);
            assertTrue(next.contains("Index Scan using import_run_by_started"), next);
            assertTrue(next.contains("Index Cond: (ROW(started, (id)::text) < ROW("), next);
            assertFalse(next.contains("Sort"), next);
            assertFalse(next.contains("Filter"), next);
        }
    }

    private static String explain(Connection c, String sql, boolean cursor) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (cursor) {
                p.setObject(1, OffsetDateTime.of(2026, 12, 2, 7, 0, 0, 0, ZoneOffset.UTC));
                p.setString(2, "00000000-0000-0000-0000-000000000000");
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
