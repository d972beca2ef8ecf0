package cn.antifraud.gateway.registry.work;

import cn.antifraud.gateway.registry.jdbc.DatabaseConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The work store on the single-node default, an H2 file. */
class H2WorkStoreTest extends WorkStoreContract {

    @TempDir
    Path dataDir;

    @Override
    DatabaseConfig.Builder newDatabase() {
        return DatabaseConfig.h2File(dataDir);
    }
}
