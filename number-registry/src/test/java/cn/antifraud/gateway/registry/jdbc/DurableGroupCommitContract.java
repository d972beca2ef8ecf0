package cn.antifraud.gateway.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.PhoneNumbers;
import com.hazelcast.map.MapStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit of the durable maps on a real database: concurrent writers all land, a bad row
 * fails only its own caller, and one key's writes in one transaction end in arrival order.
 *
 * <p>Writes are lined up in one batch deterministically, without timing: a second connection holds an
 * uncommitted row, the first write (the leader) blocks on it inside its transaction, the writes that
 * follow queue behind it ({@link DurableGroupCommit#queued()} tells when each has), and releasing the
 * row lets the next leader take them all at once.
 */
abstract class DurableGroupCommitContract {

    private static final PhoneNumber MOBILE = PhoneNumbers.parse("+86 138 0013 8000");
    private static final Instant T1 = Instant.parse("2026-11-26T03:00:00Z");
    /** Generous: only a hang guard, never a measurement. */
    private static final long HANG_GUARD_MS = 300_000;

    JdbcRegistryStores stores;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** A config for a new, empty database whose row locks wait longer than the hang guard. */
    abstract DatabaseConfig.Builder newDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        stores = JdbcRegistryStores.open(newDatabase().poolSize(20).batchSize(500).build());
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        stores.close();
    }

    @Test
    void everyWriteOfSixteenConcurrentThreadsIsInTheDatabase() throws Exception {
        MapStore<String, Object> jobs = stores.durable("durable.sms-jobs");
        MapStore<String, Object> index = stores.durable("durable.message-ids");
        int threadCount = 16;
        int perThread = 150;
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perThread; i++) {
                    String key = "t" + thread + "-" + i;
                    jobs.store(key, job(key, i));
                    index.store(key, job(key, 0));
                    if (i % 10 == 0) {
                        index.delete(key);
                    }
                }
            }, threads));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(HANG_GUARD_MS, TimeUnit.MILLISECONDS);

        Set<String> expectedJobs = new HashSet<>();
        Set<String> expectedIndex = new HashSet<>();
        for (int t = 0; t < threadCount; t++) {
            for (int i = 0; i < perThread; i++) {
                expectedJobs.add("t" + t + "-" + i);
                if (i % 10 != 0) {
                    expectedIndex.add("t" + t + "-" + i);
                }
            }
        }
        Map<String, Object> loaded = jobs.loadAll(expectedJobs);
        assertEquals(expectedJobs, loaded.keySet());
        for (Map.Entry<String, Object> e : loaded.entrySet()) {
            String key = e.getKey();
            assertEquals(job(key, Integer.parseInt(key.substring(key.indexOf('-') + 1))), e.getValue());
        }
        assertEquals(expectedIndex, keys(index));
        DurableCommitStats stats = stores.durableCommits();
        int calls = threadCount * perThread * 2 + threadCount * (perThread / 10);
        assertEquals(calls, stats.writes());
        assertEquals(0, stats.retried());
    }

    @Test
    void aBadRowFailsOnlyItsOwnCallerAlthoughItSharedTheTransaction() throws Exception {
        MapStore<String, Object> jobs = stores.durable("durable.sms-jobs");
        String tooLong = "k".repeat(501); // entry_key is VARCHAR(500)
        CompletableFuture<Void> bad;
        CompletableFuture<Void> good1;
        CompletableFuture<Void> good2;
        try (Held held = hold("durable.sms-jobs", "blocker")) {
            CompletableFuture<Void> leader = held.leader(() -> jobs.store("blocker", job("blocker", 0)));
            bad = queue(() -> jobs.store(tooLong, job("bad", 1)));
            good1 = queue(() -> jobs.store("good-1", job("good-1", 2)));
            good2 = queue(() -> stores.durable("durable.warnings").storeAll(Map.of("good-2", job("good-2", 3),
                    "good-3", job("good-3", 4))));
            held.release();
            leader.get(HANG_GUARD_MS, TimeUnit.MILLISECONDS);
        }
        DatabaseAccessException cause = assertInstanceOf(DatabaseAccessException.class, awaitFailure(bad));
        assertTrue(cause.getMessage().contains("durable.sms-jobs"), cause.getMessage());
        good1.get(HANG_GUARD_MS, TimeUnit.MILLISECONDS);
        good2.get(HANG_GUARD_MS, TimeUnit.MILLISECONDS);
        assertEquals(job("good-1", 2), jobs.load("good-1"));
        assertEquals(job("good-2", 3), stores.durable("durable.warnings").load("good-2"));
        assertEquals(job("good-3", 4), stores.durable("durable.warnings").load("good-3"));

        DurableCommitStats stats = stores.durableCommits();
        assertEquals(3, stats.largestBatch(), "the three writes were meant to share one transaction: " + stats);
        assertEquals(1, stats.retried(), stats.toString());

        // A later write is not poisoned by the earlier failure.
        jobs.store("after", job("after", 5));
        assertEquals(job("after", 5), jobs.load("after"));
        assertEquals(Set.of("blocker", "good-1", "after"), keys(jobs));
    }

    @Test
    void deletesAndUpsertsOfOneKeyInOneTransactionEndInArrivalOrder() throws Exception {
        MapStore<String, Object> jobs = stores.durable("durable.sms-jobs");
        jobs.store("deleted-last", job("deleted-last", 0));
        jobs.store("upserted-last", job("upserted-last", 0));
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        try (Held held = hold("durable.sms-jobs", "blocker")) {
            CompletableFuture<Void> leader = held.leader(() -> jobs.store("blocker", job("blocker", 0)));
            writes.add(queue(() -> jobs.store("stored-twice", job("stored-twice", 1))));
            writes.add(queue(() -> jobs.delete("stored-twice")));
            writes.add(queue(() -> jobs.store("stored-twice", job("stored-twice", 2))));
            writes.add(queue(() -> jobs.store("deleted-last", job("deleted-last", 1))));
            writes.add(queue(() -> jobs.deleteAll(List.of("deleted-last"))));
            writes.add(queue(() -> jobs.delete("upserted-last")));
            writes.add(queue(() -> jobs.store("upserted-last", job("upserted-last", 2))));
            held.release();
            leader.get(HANG_GUARD_MS, TimeUnit.MILLISECONDS);
        }
        for (CompletableFuture<Void> w : writes) {
            w.get(HANG_GUARD_MS, TimeUnit.MILLISECONDS);
        }
        DurableCommitStats stats = stores.durableCommits();
        assertEquals(7, stats.largestBatch(), "the seven writes were meant to share one transaction: " + stats);
        assertEquals(0, stats.retried(), "one key twice in one batch must not fail the batch: " + stats);
        assertEquals(job("stored-twice", 2), jobs.load("stored-twice"));
        assertNull(jobs.load("deleted-last"));
        assertEquals(job("upserted-last", 2), jobs.load("upserted-last"));
    }

    private static DurableTestJob job(String id, int attempts) {
        return new DurableTestJob(id, MOBILE, FraudType.FAKE_LOAN, "【12381】第" + attempts + "次", T1, null,
                List.of(), attempts);
    }

    private CompletableFuture<Void> queue(Runnable write) {
        int before = stores.durableGroupCommit().queued();
        CompletableFuture<Void> f = CompletableFuture.runAsync(write, threads);
        await(() -> stores.durableGroupCommit().queued() == before + 1 || f.isDone(), "the write to queue");
        if (f.isDone()) {
            fail("a write completed while the batch ahead of it was held; no group commit took place: " + f);
        }
        return f;
    }

    private static Throwable awaitFailure(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(HANG_GUARD_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the write of a 501-character key succeeded");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANG_GUARD_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting for " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Set<String> keys(MapStore<String, Object> store) {
        Set<String> keys = new HashSet<>();
        store.loadAllKeys().forEach(keys::add);
        return keys;
    }

    /**
     * A row inserted and not committed on a connection of its own: the leader's transaction, which
     * writes the same row, waits for it, and the writes after it queue.
     */
    private Held hold(String mapName, String key) throws Exception {
        Connection c = stores.dataSource().getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO durable_entry (map_name, entry_key, value_class,"
                + " value_json, updated_at) VALUES (?, ?, 'x', '{}', CURRENT_TIMESTAMP)")) {
            p.setString(1, mapName);
            p.setString(2, key);
            p.executeUpdate();
        }
        return new Held(c);
    }

    private final class Held implements AutoCloseable {
        private final Connection connection;
        private boolean released;

        Held(Connection connection) {
            this.connection = connection;
        }

        /** Starts the write that leads the held batch, and returns once it took its batch. */
        CompletableFuture<Void> leader(Runnable write) {
            DurableGroupCommit commits = stores.durableGroupCommit();
            long before = stores.durableCommits().batches();
            CompletableFuture<Void> f = CompletableFuture.runAsync(write, threads);
            await(() -> stores.durableCommits().batches() == before + 1 && commits.queued() == 0 || f.isDone(),
                    "the leader to take its batch");
            if (f.isDone()) {
                fail("the leading write was not held by the uncommitted row: " + f);
            }
            return f;
        }

        void release() throws Exception {
            released = true;
            connection.rollback();
            connection.close();
        }

        @Override
        public void close() throws Exception {
            if (!released) {
                release();
            }
        }
    }
}
