package cn.antifraud.gateway.registry.work;

import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import cn.antifraud.gateway.registry.jdbc.PostgresServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The work store on PostgreSQL 15; fails, never skips, when no server can be had. */
@ExtendWith(PostgresServer.class)
class PostgresWorkStoreTest extends WorkStoreContract {

    private final PostgresServer server;

    PostgresWorkStoreTest(PostgresServer server) {
        this.server = server;
    }

    @Override
    DatabaseConfig.Builder newDatabase() {
        return server.newDatabase();
    }
}
