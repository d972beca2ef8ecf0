package cn.antifraud.gateway.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Schema versioning on PostgreSQL, where several members share one database. */
@ExtendWith(PostgresServer.class)
class PostgresSchemaMigratorTest extends SchemaMigratorContract {

    private final PostgresServer server;

    PostgresSchemaMigratorTest(PostgresServer server) {
        this.server = server;
    }

    @Override
    DatabaseConfig.Builder newDatabase() {
        return server.newDatabase();
    }

    @Test
    void aFailingMigrationLeavesNeitherItsTablesNorItsVersion() throws Exception {
        DatabaseConfig config = newDatabase().build();
        List<Migration> migrations = new ArrayList<>(Migration.loadAll(getClass().getClassLoader()));
        int broken = migrations.size() + 1;
        migrations.add(new Migration(broken, "V" + broken + "__broken.sql",
                List.of("CREATE TABLE half_done (a INTEGER)", "SELECT no_such_column FROM half_done")));
        try (HikariDataSource pool = pool(config)) {
            SchemaMigrator migrator = new SchemaMigrator(pool, config.dialect(), migrations);
            IllegalStateException e = assertThrows(IllegalStateException.class, migrator::migrate);
            assertTrue(e.getMessage().contains("V" + broken + "__broken.sql"), e.getMessage());
            assertEquals(broken - 1, migrator.currentVersion());
            assertEquals(0, count(pool, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'half_done'"));
        }
    }
}
