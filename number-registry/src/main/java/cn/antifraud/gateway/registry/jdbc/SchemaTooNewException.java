package cn.antifraud.gateway.registry.jdbc;

/**
 * The database was migrated by a newer gateway than this one. Startup stops: writing through to a
 * schema this code does not know could lose or corrupt rows.
 */
public final class SchemaTooNewException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    SchemaTooNewException(int databaseVersion, int codeVersion) {
        super("the registry database is at schema version " + databaseVersion + " but this gateway knows only up to "
                + codeVersion + "; run a gateway release that includes migration V" + databaseVersion
                + " (or restore a backup taken before the upgrade)");
    }
}
