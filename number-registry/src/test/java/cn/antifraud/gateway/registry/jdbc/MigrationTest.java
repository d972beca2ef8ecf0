package cn.antifraud.gateway.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTest {

    @Test
    void theShippedMigrationsAreNumberedFromOneWithoutGaps() {
        List<Migration> all = Migration.loadAll(getClass().getClassLoader());
        assertFalse(all.isEmpty());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).version());
            assertFalse(all.get(i).statements().isEmpty(), all.get(i).fileName());
        }
        assertEquals("registry tables", all.get(0).description());
    }

    @Test
    void splitDropsCommentLinesAndSplitsOnSemicolonsAtLineEnd() {
        String sql = "-- a comment; with a semicolon\nCREATE TABLE a (x INT);\n\n-- another\nCREATE INDEX i ON a (x);\n";
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)"), Migration.split(sql));
    }
}
