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
        // The default file, with row locks waited for as long as a test's hang guard, not H2's 10 s: one test holds
        // a row lock while it checks what an update did before its commit.
        return DatabaseConfig.builder("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=300000").user("sa").password("");
    }
}
