package cn.antifraud.gateway.registry.jdbc;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.ImportJournal;
import cn.antifraud.gateway.registry.store.AuditLog;
import cn.antifraud.gateway.registry.store.CommitAheadStore;
import cn.antifraud.gateway.registry.store.RegistryListings;
import cn.antifraud.gateway.registry.store.RegistryStores;
import cn.antifraud.gateway.registry.work.DurableWorkEntries;
import cn.antifraud.gateway.registry.work.WorkStoreSpec;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.hazelcast.map.MapStore;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable stores on JDBC, over one HikariCP pool: H2 for a single node, PostgreSQL
 * shared by a cluster. Opening it migrates the schema ({@link SchemaMigrator}) before any store is used.
 *
 * <p>Every call is blocking JDBC: Hazelcast calls the stores on its own partition and map-loader
 * threads, and other callers (audit) must stay off Netty event loops.
 */
public final class JdbcRegistryStores implements RegistryStores {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRegistryStores.class);

    private final HikariDataSource pool;
    private final StoreContext context;
    private final WarningNumberStore warningNumbers;
    private final FraudNumberStore fraudNumbers;
    private final FamilyContactsStore familyContacts;
    private final JdbcAuditLog audit;
    private final JdbcListings listings;
    private final ObjectMapper json;
    private final DurableGroupCommit durableCommits;
    private final WorkJournal workJournal;
    private final Map<String, DurableMapStore> durable = new ConcurrentHashMap<>();

    private JdbcRegistryStores(DatabaseConfig config, HikariDataSource pool) {
        this.pool = pool;
        this.context = new StoreContext(pool, config.dialect(), config.batchSize(), config.fetchSize(),
                StoreContext.loadPermits(config.poolSize()));
        this.warningNumbers = new WarningNumberStore(context);
        this.fraudNumbers = new FraudNumberStore(context);
        this.familyContacts = new FamilyContactsStore(context);
        this.audit = new JdbcAuditLog(context);
        this.listings = new JdbcListings(warningNumbers, fraudNumbers, familyContacts);
        this.json = jsonMapper();
        this.durableCommits = new DurableGroupCommit(context);
        this.workJournal = new WorkJournal(context, config.minCommitInterval());
    }

    /**
     * Opens the pool and brings the schema up to date.
     *
     * @throws SchemaTooNewException when the database was migrated by a newer gateway
     * @throws IllegalStateException when the database cannot be reached or migrated
     */
    public static JdbcRegistryStores open(DatabaseConfig config) {
        requireNonNull(config, "config");
        HikariDataSource pool = new HikariDataSource(hikari(config));
        try {
            int applied = new SchemaMigrator(pool, config.dialect()).migrate();
            // Not "ready": the gateway logs one ready line, the last of its startup (issue 12).
            LOG.info("registry database opened: {} ({} migrations applied)", config, applied);
            return new JdbcRegistryStores(config, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The JSON mapping of durable values: ISO-8601 instants, unknown fields ignored so old rows outlive new fields. */
    static ObjectMapper jsonMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private static HikariConfig hikari(DatabaseConfig config) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("registry-db");
        h.setJdbcUrl(config.jdbcUrl());
        h.setUsername(config.user());
        h.setPassword(config.password());
        h.setMaximumPoolSize(config.poolSize());
        h.setConnectionTimeout(config.connectionTimeout().toMillis());
        // Fail fast at startup with the driver's own message rather than a pool timeout later.
        h.setInitializationFailTimeout(config.connectionTimeout().toMillis());
        if (config.dialect() == SqlDialect.POSTGRESQL) {
            // One multi-row INSERT per batch instead of a round trip per row: storeAll and bulk imports.
            h.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return h;
    }

    @Override
    public MapStore<String, WarningNumber> warningNumbers() {
        return warningNumbers;
    }

    /** The fraud-number store; bulk imports commit ahead of the map through it ({@link CommitAheadStore}). */
    @Override
    public CommitAheadStore<FraudNumber> fraudNumbers() {
        return fraudNumbers;
    }

    @Override
    public MapStore<String, FamilyContacts> familyContacts() {
        return familyContacts;
    }

    /** @throws IllegalArgumentException when the name is not {@code durable.NAME} */
    @Override
    public MapStore<String, Object> durable(String mapName) {
        return durable.computeIfAbsent(mapName, name -> new DurableMapStore(context, durableCommits, json, name));
    }

    /**
     * The rows of the durable work store {@code spec}; first moves into it the rows of the previous
     * release's map {@code spec.legacyMapName()}, if any (logged with their count).
     */
    @Override
    public DurableWorkEntries work(WorkStoreSpec<?> spec) {
        if (!spec.durable()) {
            throw new IllegalArgumentException(spec + " is not durable");
        }
        WorkEntryStore store = new WorkEntryStore(context, workJournal, spec.name());
        spec.legacyMapName().ifPresent(legacy -> {
            int moved = store.takeOver(legacy, spec.codec(), spec.legacyTtl().orElse(null));
            if (moved > 0) {
                LOG.info("moved {} records of {} into {}", moved, legacy, spec);
            }
        });
        return store;
    }

    @Override
    public AuditLog audit() {
        return audit;
    }

    /** Keyset-paged listings of the registry tables (for the admin API's list routes). */
    public RegistryListings listings() {
        return listings;
    }

    /**
     * The durable import records of node {@code node} (its cluster member name): one journal per
     * node, so a restarting node marks only its own unfinished imports interrupted.
     */
    public ImportJournal importJournal(String node) {
        return new JdbcImportJournal(context, node);
    }

    /** The pool, for health checks ({@code isRunning}) and the benchmark's bulk loader. */
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public OptionalLong fraudNumberRows() {
        return OptionalLong.of(fraudNumberCount());
    }

    /** The number of fraud numbers stored, for health and the reload benchmark. */
    public long fraudNumberCount() {
        return fraudNumbers.count();
    }

    /**
     * What the durable writes did so far (transactions, calls, batch sizes): the group commit of the
     * {@code durable.*} maps and the work stores' journal together.
     */
    public DurableCommitStats durableCommits() {
        return durableCommits.stats().plus(workJournal.stats());
    }

    /** What the work stores' journal did so far. */
    public DurableCommitStats workJournalCommits() {
        return workJournal.stats();
    }

    /** Package access for tests that line writes up behind a blocked batch. */
    DurableGroupCommit durableGroupCommit() {
        return durableCommits;
    }

    /** Commits what the work stores' journal still holds, then closes the pool. */
    @Override
    public void close() {
        workJournal.close();
        DurableCommitStats commits = durableCommits.stats();
        if (commits.batches() > 0) {
            LOG.info("durable maps' group commit: {}", commits);
        }
        DurableCommitStats journal = workJournal.stats();
        if (journal.batches() > 0) {
            LOG.info("work stores' journal: {}", journal);
        }
        pool.close();
    }
}
