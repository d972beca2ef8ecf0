package cn.antifraud.gateway.registry.cluster;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.ImportProgress;
import cn.antifraud.gateway.registry.NoQuorumException;
import cn.antifraud.gateway.registry.store.CommitAheadStore;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The database path of a bulk import: each batch is committed to the database in one transaction
 * ({@link CommitAheadStore#storeNew}), then put into the fraud-number map with {@code setAllAsync}, one
 * operation per partition, while the import thread reads and commits the next batch. At most one batch
 * is in the map's hands at a time, so the database commit (the import thread and PostgreSQL) and the map
 * write (the partition threads) overlap instead of taking turns. The {@code setAllAsync} call itself
 * (serialising the batch and sorting it by partition: a fifth of the import thread's CPU) runs on a thread
 * of the import's own, for the same reason.
 *
 * <p>A batch counts as stored, and is reported to the {@link ImportProgress}, once its map write has
 * completed. Before a batch is committed, it is checked against the batch in flight: if they share a
 * number (a file that lists a number twice, far apart), the one in flight is waited for first, so the
 * map and the database both end with the later row.
 *
 * <p>When anything fails, the batch in flight is still waited for and counted if it got in, and the
 * failure is passed on. What a failure leaves: every counted batch in the database and the map; the batch
 * that failed in neither (its transaction rolled back) or, when its map write failed, in the database
 * only; nothing read after it.
 */
final class ImportBatches {

    private final IMap<Long, FraudNumber> map;
    private final CommitAheadStore<FraudNumber> rows;
    private final RegistryQuorum quorum;
    private final ImportProgress progress;
    /**
     * Hands each batch to the map, one at a time; shut down by {@link #finish} or {@link #abandon}, and its
     * thread ends by itself once idle, should an import end by an {@link Error} that skips both.
     */
    private final ExecutorService mapWriter = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
                Thread t = new Thread(r, "registry-import-map-writer");
                t.setDaemon(true);
                return t;
            });
    private InFlight inFlight;
    private long stored;

    ImportBatches(IMap<Long, FraudNumber> map, CommitAheadStore<FraudNumber> rows, RegistryQuorum quorum,
                  ImportProgress progress) {
        this.map = requireNonNull(map, "map");
        this.rows = requireNonNull(rows, "rows");
        this.quorum = requireNonNull(quorum, "quorum");
        this.progress = requireNonNull(progress, "progress");
    }

    /**
     * Commits {@code batch} and hands it to the map; returns when the previous batch is in the map.
     * {@code read}, {@code rejected} and {@code errors} are the import's counts as this batch was completed:
     * they are what the progress reports once the batch is stored.
     */
    void store(Map<Long, FraudNumber> batch, long read, long rejected, List<String> errors) {
        // A member without quorum writes nothing, to the database either (issue 13: no write acknowledged on a minority).
        quorum.ensure();
        if (inFlight != null && sharesANumber(batch, inFlight.batch)) {
            awaitInFlight();
        }
        Map<String, FraudNumber> byE164 = new HashMap<>(batch.size() * 4 / 3 + 1);
        batch.values().forEach(f -> byE164.put(f.number().e164(), f));
        rows.storeNew(byE164);
        CompletableFuture<Void> write;
        try {
            quorum.ensure();
            write = CompletableFuture.supplyAsync(() -> map.setAllAsync(batch), mapWriter).thenCompose(w -> w);
        } catch (RuntimeException e) {
            rows.forgetStored(byE164.keySet());
            awaitInFlight();
            throw noQuorumIfRefused(e);
        }
        InFlight previous = inFlight;
        inFlight = new InFlight(batch, byE164, write, read, rejected, List.copyOf(errors));
        if (previous != null) {
            await(previous);
        }
    }

    /** Waits for the batch in flight; returns how many rows all stored batches hold. */
    long finish() {
        try {
            awaitInFlight();
        } finally {
            mapWriter.shutdown();
        }
        return stored;
    }

    /**
     * After a failure: waits for the batch in flight whatever becomes of it, counting it if it got in, and
     * keeps the first failure. Returns the rows stored.
     */
    long abandon() {
        try {
            awaitInFlight();
        } catch (RuntimeException ignored) {
            // The failure being handled is the one to report; this batch is simply not counted.
        } finally {
            mapWriter.shutdown();
        }
        return stored;
    }

    private void awaitInFlight() {
        InFlight last = inFlight;
        inFlight = null;
        if (last != null) {
            await(last);
        }
    }

    private void await(InFlight batch) {
        try {
            batch.write.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while putting an import batch into the map", e);
        } catch (ExecutionException e) {
            throw noQuorumIfRefused(e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause()));
        } finally {
            rows.forgetStored(batch.byE164.keySet());
        }
        stored += batch.batch.size();
        progress.batchStored(batch.read, stored, batch.rejected, batch.errors);
    }

    private static boolean sharesANumber(Map<Long, FraudNumber> batch, Map<Long, FraudNumber> other) {
        for (Long key : batch.keySet()) {
            if (other.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    private RuntimeException noQuorumIfRefused(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SplitBrainProtectionException) {
                return new NoQuorumException(quorum.describe() + " (refused by the partition owner)", e);
            }
        }
        return e;
    }

    /** A committed batch whose map write was started, and the counts to report when it completes. */
    private record InFlight(Map<Long, FraudNumber> batch, Map<String, FraudNumber> byE164, CompletableFuture<Void> write,
                            long read, long rejected, List<String> errors) {
    }
}
