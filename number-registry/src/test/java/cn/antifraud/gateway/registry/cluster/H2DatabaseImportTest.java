package cn.antifraud.gateway.registry.cluster;

import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The import contract on the single-node default, an H2 file (two members share it through one H2 engine). */
class H2DatabaseImportTest extends DatabaseImportContract {

    @TempDir
    Path dataDir;

    @Override
    DatabaseConfig.Builder newDatabase() {
        return DatabaseConfig.h2File(dataDir);
    }
}
