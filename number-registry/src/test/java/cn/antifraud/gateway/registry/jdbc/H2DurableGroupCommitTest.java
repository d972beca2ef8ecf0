package cn.antifraud.gateway.registry.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The group commit on the single-node default, an H2 file. */
class H2DurableGroupCommitTest extends DurableGroupCommitContract {

    @TempDir
    Path dataDir;

    /** The default H2 file URL, with a lock wait longer than the tests' hang guard (H2's default is seconds). */
    @Override
    DatabaseConfig.Builder newDatabase() {
        DatabaseConfig.Builder defaults = DatabaseConfig.h2File(dataDir);
        return DatabaseConfig.builder(defaults.build().jdbcUrl() + ";LOCK_TIMEOUT=120000").user("sa").password("");
    }
}
