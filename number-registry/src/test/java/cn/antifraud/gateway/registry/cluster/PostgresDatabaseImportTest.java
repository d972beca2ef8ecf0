package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.PostgresServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The import contract on PostgreSQL 15, the database a cluster shares. */
@ExtendWith(PostgresServer.class)
class PostgresDatabaseImportTest extends DatabaseImportContract {

    private final PostgresServer server;

    PostgresDatabaseImportTest(PostgresServer server) {
        this.server = server;
    }

    @Override
    DatabaseConfig.Builder newDatabase() {
        return server.newDatabase();
    }
}
