package cn.antifraud.gateway.registry.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the single-node default: an H2 file under a data directory. */
class H2RegistryStoresTest extends RegistryStoresContract {

    @TempDir
    Path dataDir;

    @Override
    DatabaseConfig.Builder newDatabase() {
        return DatabaseConfig.h2File(dataDir);
    }
}
