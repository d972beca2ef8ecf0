package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.work.Updated;
import cn.antifraud.gateway.registry.work.WorkStore;
import cn.antifraud.gateway.smpp.WarningRecord;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedup entries ("subscriber|tier" → the warning that holds the window), claimed so that a warning is
 * never lost to an entry whose warning was never stored.
 *
 * <p>A warning writes its dedup entry first, then its record and jobs. A node killed between the two
 * writes (found by kill -9 during a batch intake) left an entry pointing at nothing: every repeat of that
 * warning was answered "duplicate" for the whole window and nothing was sent. So a claim that finds an
 * entry checks that its warning is stored with all its jobs. If it is not, the entry is either being
 * written right now by another request (wait for it) or its writer died (take the entry over): the two are
 * told apart by the entry's age, written into the value as {@code warningId@epochMillis}. An entry older
 * than {@link #TAKEOVER_AFTER} whose warning is still missing is replaced (compare-and-set on the value),
 * logged and counted in {@code smpp.warnings.dedup_takeovers}. Entries of the previous release (a bare
 * id) count as old.
 *
 * <p>A claim is settled in cluster memory; the caller waits for the entry's commit together with its warning's
 * rows (one commit to wait for, not two in a row). The entry's row is queued before the warning's, so the
 * journal commits it in the same transaction or an earlier one: a crash leaves at worst the entry without
 * its warning, the case above. If the entry's own commit fails (the database went away for that one
 * transaction) the warning's request fails too, even when its rows were committed after; the entry stays in
 * cluster memory, so the client's retry is answered as a duplicate of that warning and nothing is sent twice.
 */
final class DedupClaims {
    private static final Logger LOG = LoggerFactory.getLogger(DedupClaims.class);
    /** Far above the time between a warning's two writes, even on a loaded node (p99 about 2 s). */
    static final Duration TAKEOVER_AFTER = Duration.ofSeconds(10);
    private static final long POLL_MS = 100;

    private final WorkStore<String> dedup;
    private final Predicate<String> stored;
    private final Duration window;
    private final Clock clock;
    private final MeterRegistry meters;

    /**
     * @param stored whether the warning of that id is stored with every one of its jobs
     */
    DedupClaims(WorkStore<String> dedup, Predicate<String> stored, Duration window, Clock clock, MeterRegistry meters) {
        this.dedup = requireNonNull(dedup, "dedup");
        this.stored = requireNonNull(stored, "stored");
        this.window = requireNonNull(window, "window");
        this.clock = requireNonNull(clock, "clock");
        this.meters = requireNonNull(meters, "meters");
    }

    /** The value a new warning writes into its dedup entry. */
    String entry(String warningId, Instant now) {
        return warningId + "@" + now.toEpochMilli();
    }

    /** The warning an entry names. */
    static String warningId(String entry) {
        int at = entry.indexOf('@');
        return at < 0 ? entry : entry.substring(0, at);
    }

    private static Instant writtenAt(String entry) {
        int at = entry.indexOf('@');
        if (at < 0) {
            return Instant.EPOCH;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(entry.substring(at + 1)));
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }

    /**
     * A settled claim: {@code earlier} is null when the caller's warning holds the entry, else the id of the
     * stored warning that does; {@code committed} is the commit of the entry the caller wrote (completed at
     * once when it wrote none). The caller waits for it together with its warning's own rows.
     */
    record Claim(String earlier, CompletableFuture<Void> committed) {
        boolean held() {
            return earlier == null;
        }
    }

    /**
     * Claims {@code key} for {@code warningId}. Blocking on the cluster, not on the database: the entry's commit
     * is in the answer. {@code unstoredHere}: ids of warnings this caller is about to store (a batch), which
     * count as stored: a repeat within one batch is its duplicate, not a wait.
     */
    Claim claim(String key, String warningId, Set<String> unstoredHere) {
        return settle(key, warningId, write(key, warningId), unstoredHere);
    }

    /** The first write of a claim, for a caller that sends many at once and settles them after. */
    CompletableFuture<Updated<String>> write(String key, String warningId, Instant now) {
        return dedup.putIfAbsentInMemory(key, entry(warningId, now), window);
    }

    private Updated<String> write(String key, String warningId) {
        return write(key, warningId, clock.instant()).join();
    }

    /**
     * Settles a claim whose first write found {@code first.answer()} (null: the claim is already held). May
     * wait up to {@link #TAKEOVER_AFTER} for a warning being written by another request.
     */
    Claim settle(String key, String warningId, Updated<String> first, Set<String> unstoredHere) {
        CompletableFuture<Void> ours = first.committed();
        String current = first.answer();
        while (current != null) {
            String earlier = warningId(current);
            if (earlier.equals(warningId)) {
                return new Claim(null, ours);
            }
            if (unstoredHere.contains(earlier) || stored.test(earlier)) {
                return new Claim(earlier, ours);
            }
            Duration age = Duration.between(writtenAt(current), clock.instant());
            if (age.compareTo(TAKEOVER_AFTER) >= 0) {
                if (dedup.removeIf(key, current::equals)) {
                    meters.counter("smpp.warnings.dedup_takeovers").increment();
                    LOG.warn("dedup entry of warning {} taken over by warning {}: {} was never stored with all its jobs"
                            + " (its node stopped between the two writes)", earlier, warningId, earlier);
                }
            } else {
                pause();
            }
            current = dedup.get(key);
            if (current == null) {
                Updated<String> again = write(key, warningId);
                ours = again.committed();
                current = again.answer();
            }
        }
        return new Claim(null, ours);
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a warning being written", e);
        }
    }

    /** Whether {@code record} and each of its jobs are stored; {@code jobStored} looks one job up. */
    static boolean complete(WarningRecord record, Predicate<String> jobStored) {
        return record != null && record.jobIds().stream().allMatch(jobStored);
    }
}
