package cn.antifraud.gateway.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

    @Test
    void toStringNeverShowsThePassword() {
        DatabaseConfig c = DatabaseConfig.builder("jdbc:postgresql://10.0.0.5:5432/registry")
                .user("gateway").password("s3cr3t-口令").build();
        assertFalse(c.toString().contains("s3cr3t"), c.toString());
        assertTrue(c.toString().contains("****"), c.toString());
        assertEquals("s3cr3t-口令", c.password());
    }

    @Test
    void toStringMasksAPasswordInsideTheUrl() {
        DatabaseConfig c = DatabaseConfig.builder("jdbc:postgresql://db/registry?user=gw&password=hunter2&ssl=true").build();
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertTrue(c.toString().contains("password=****&ssl=true"), c.toString());
    }

    @Test
    void theDefaultIsAnH2FileUnderTheDataDirectory() {
        DatabaseConfig c = DatabaseConfig.h2File(Path.of("/var/lib/gateway")).build();
        assertTrue(c.jdbcUrl().startsWith("jdbc:h2:file:/var/lib/gateway/registry;"), c.jdbcUrl());
        assertEquals(SqlDialect.H2, c.dialect());
    }

    @Test
    void aPostgresUrlSelectsThePostgresDialect() {
        assertEquals(SqlDialect.POSTGRESQL, DatabaseConfig.builder("jdbc:postgresql://h/db").build().dialect());
    }

    @Test
    void anUnsupportedDatabaseIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseConfig.builder("jdbc:mysql://h/db;password=x"));
        assertTrue(e.getMessage().contains("jdbc:mysql://h/db"), e.getMessage());
        assertFalse(e.getMessage().contains("password=x"), e.getMessage());
    }

    @Test
    void outOfRangeSettingsAreRefusedNamingTheSetting() {
        DatabaseConfig.Builder b = DatabaseConfig.builder("jdbc:h2:mem:x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.poolSize(0)).getMessage().contains("poolSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.connectionTimeout(Duration.ofMillis(1)))
                .getMessage().contains("connectionTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.batchSize(0)).getMessage().contains("batchSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.minCommitInterval(Duration.ofSeconds(1)))
                .getMessage().contains("minCommitInterval"));
        assertEquals(Duration.ofMillis(2), b.build().minCommitInterval(), "the default");
    }

    @Test
    void upsertSqlIsMergeOnH2AndOnConflictOnPostgres() {
        assertEquals("MERGE INTO t (k, a, b) KEY (k) VALUES (?, ?, ?)",
                SqlDialect.H2.upsert("t", List.of("k"), List.of("a", "b")));
        assertEquals("INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET a = EXCLUDED.a, b = EXCLUDED.b",
                SqlDialect.POSTGRESQL.upsert("t", List.of("k"), List.of("a", "b")));
    }
}
