package cn.antifraud.gateway.registry.jdbc;

import org.junit.jupiter.api.extension.ExtendWith;

/** The group commit on PostgreSQL 15, where a cluster's members share the durable maps' table. */
@ExtendWith(PostgresServer.class)
class PostgresDurableGroupCommitTest extends DurableGroupCommitContract {

    private final PostgresServer server;

    PostgresDurableGroupCommitTest(PostgresServer server) {
        this.server = server;
    }

    @Override
    DatabaseConfig.Builder newDatabase() {
        return server.newDatabase();
    }
}
