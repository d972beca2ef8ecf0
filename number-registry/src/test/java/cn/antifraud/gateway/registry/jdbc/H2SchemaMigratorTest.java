package cn.antifraud.gateway.registry.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Schema versioning on an H2 file. */
class H2SchemaMigratorTest extends SchemaMigratorContract {

    @TempDir
    Path dataDir;

    @Override
    DatabaseConfig.Builder newDatabase() {
        return DatabaseConfig.h2File(dataDir);
    }
}
