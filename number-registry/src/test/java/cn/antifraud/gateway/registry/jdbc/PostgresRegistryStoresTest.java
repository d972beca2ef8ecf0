package cn.antifraud.gateway.registry.jdbc;

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
}
