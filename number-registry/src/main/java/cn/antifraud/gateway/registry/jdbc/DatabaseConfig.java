package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where the registry's durable stores live: a JDBC URL with its credentials and pool settings.
 *
 * <p>The default for a single node is an embedded H2 file under the gateway's data directory
 * ({@link #h2File(Path)}); a cluster points every member at one PostgreSQL database by URL. The
 * password never appears in {@link #toString()}, so the config can be logged as a whole.
 */
public final class DatabaseConfig {

    /** H2 file name (without H2's own {@code .mv.db} suffix) under the data directory. */
    public static final String H2_FILE_NAME = "registry";

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int poolSize;
    private final Duration connectionTimeout;
    private final int fetchSize;
    private final int batchSize;
    private final Duration minCommitInterval;

    /**
     * The default of {@link #minCommitInterval()}. H2 writes a chunk (every page a commit touched, up to the root)
     * per commit with WRITE_DELAY=0: at 2 ms a burst's journal ran half the transactions, 10.9 writes each
     * instead of 4.9, and the gateway's CPU per warning fell to 0.86x (docs/smpp-gateway.md, twelfth session).
     */
    public static final Duration DEFAULT_MIN_COMMIT_INTERVAL = Duration.ofMillis(2);
    /** The longest {@link #minCommitInterval()}: every durable write may wait this long for its commit. */
    public static final Duration MAX_MIN_COMMIT_INTERVAL = Duration.ofMillis(100);

    private DatabaseConfig(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.user = b.user;
        this.password = b.password;
        this.poolSize = b.poolSize;
        this.connectionTimeout = b.connectionTimeout;
        this.fetchSize = b.fetchSize;
        this.batchSize = b.batchSize;
        this.minCommitInterval = b.minCommitInterval;
    }

    /** A builder for a database reached by {@code jdbcUrl} ({@code jdbc:h2:...} or {@code jdbc:postgresql:...}). */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /**
     * The single-node default: an H2 file {@code <dataDir>/registry.mv.db}. {@code DB_CLOSE_ON_EXIT=FALSE}
     * because the pool, not H2's shutdown hook, decides when the file closes: Hazelcast may still be
     * writing through while the JVM shuts down. {@code WRITE_DELAY=0} because H2 keeps no redo log:
     * with its default (500 ms) a commit reaches the file only when the background writer runs, so a
     * {@code kill -9} lost the last half second of acknowledged writes (delivery receipts already
     * answered to the SMSC, found by loadtest/faults/kill9_queued_jobs.py). With 0 every commit is
     * written to the file before it returns; the OS page cache then survives the process's death.
     */
    public static Builder h2File(Path dataDir) {
        requireNonNull(dataDir, "dataDir");
        Path file = dataDir.toAbsolutePath().normalize().resolve(H2_FILE_NAME);
        return new Builder("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0").user("sa").password("");
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    /** The password; hand it only to the driver, never to a log. */
    public String password() {
        return password;
    }

    public int poolSize() {
        return poolSize;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** Rows fetched per round trip when streaming keys (PostgreSQL needs it to use a cursor). */
    public int fetchSize() {
        return fetchSize;
    }

    /** Rows per JDBC batch and keys per {@code loadAll} query. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The shortest time between the starts of two work-journal transactions: while writes arrive faster, the
     * journal lets them gather for the rest of the interval and commits them together. A lone write after a
     * quiet spell is committed at once.
     */
    public Duration minCommitInterval() {
        return minCommitInterval;
    }

    /** The SQL dialect, from the URL's sub-protocol. */
    public SqlDialect dialect() {
        return SqlDialect.forUrl(jdbcUrl);
    }

    /** The URL with any {@code password=...} parameter masked: drivers accept the password inside the URL too. */
    public String redactedUrl() {
        return URL_PASSWORD.matcher(jdbcUrl).replaceAll("$1****");
    }

    @Override
    public String toString() {
        return "DatabaseConfig{url=" + redactedUrl() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "****")
                + ", poolSize=" + poolSize + ", connectionTimeout=" + connectionTimeout + "}";
    }

    /** Builds a {@link DatabaseConfig}; every value is checked when set. */
    public static final class Builder {
        private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    private final String jdbcUrl;
        private String user = "";
        private String password = "";
        // As many connections as the member has partition threads (RegistryConfig.operationThreads),
        // since each may be in a write-through statement at once.
        private int poolSize = 16;
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private int fetchSize = 10_000;
        private int batchSize = 1_000;
        private Duration minCommitInterval = DEFAULT_MIN_COMMIT_INTERVAL;

        private Builder(String jdbcUrl) {
            requireNonNull(jdbcUrl, "jdbcUrl");
            SqlDialect.forUrl(jdbcUrl);
            this.jdbcUrl = jdbcUrl;
        }

        public Builder user(String user) {
            this.user = requireNonNull(user, "user");
            return this;
        }

        public Builder password(String password) {
            this.password = requireNonNull(password, "password");
            return this;
        }

        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 200) {
                throw new IllegalArgumentException("poolSize must be 1 to 200, got " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        public Builder connectionTimeout(Duration connectionTimeout) {
            requireNonNull(connectionTimeout, "connectionTimeout");
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, got " + connectionTimeout);
            }
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        public Builder fetchSize(int fetchSize) {
            if (fetchSize < 1) {
                throw new IllegalArgumentException("fetchSize must be positive, got " + fetchSize);
            }
            this.fetchSize = fetchSize;
            return this;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1 to 10000, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder minCommitInterval(Duration minCommitInterval) {
            requireNonNull(minCommitInterval, "minCommitInterval");
            if (minCommitInterval.isNegative() || minCommitInterval.compareTo(MAX_MIN_COMMIT_INTERVAL) > 0) {
                throw new IllegalArgumentException("minCommitInterval must be 0 to 100 ms, got " + minCommitInterval);
            }
            this.minCommitInterval = minCommitInterval;
            return this;
        }

        public DatabaseConfig build() {
            return new DatabaseConfig(this);
        }
    }
}
