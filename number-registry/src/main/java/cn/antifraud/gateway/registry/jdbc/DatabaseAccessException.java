package cn.antifraud.gateway.registry.jdbc;

import java.sql.SQLException;

/**
 * A store operation failed in the database. Unchecked because Hazelcast's {@code MapStore} methods
 * declare no exceptions: Hazelcast hands it back to the caller of the map operation, so a
 * write-through put fails rather than pretending to be durable.
 */
public final class DatabaseAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DatabaseAccessException(String what, SQLException cause) {
        super(what + " failed: " + cause.getMessage() + " (SQLState " + cause.getSQLState() + ")", cause);
    }
}
