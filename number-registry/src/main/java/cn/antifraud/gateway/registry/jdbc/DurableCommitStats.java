package cn.antifraud.gateway.registry.jdbc;

import java.util.Arrays;

/**
 * What the group commit of the {@code durable.*} maps has done since the stores opened: how many
 * transactions served how many write-through calls, and how many calls shared a transaction.
 *
 * @param batches      transactions attempted (a batch retried write by write counts once)
 * @param writes       {@code store}/{@code storeAll}/{@code delete}/{@code deleteAll} calls
 * @param rows         rows those calls wrote or deleted
 * @param retried      batches that failed and were retried one write at a time
 * @param largestBatch the most calls one transaction served
 * @param batchSizes   batches by calls served, in the buckets of {@link #SIZE_BUCKETS}
 */
public record DurableCommitStats(long batches, long writes, long rows, long retried, int largestBatch, long[] batchSizes) {

    /** Lower bounds of the batch-size buckets: 1, 2-3, 4-7, 8-15, 16-31, 32 and more calls. */
    static final int[] SIZE_BUCKETS = {1, 2, 4, 8, 16, 32};

    public DurableCommitStats {
        batchSizes = batchSizes.clone();
    }

    static int bucket(int writes) {
        int b = 0;
        while (b + 1 < SIZE_BUCKETS.length && writes >= SIZE_BUCKETS[b + 1]) {
            b++;
        }
        return b;
    }

    @Override
    public long[] batchSizes() {
        return batchSizes.clone();
    }

    /** The counts of both, as if one committer had done the work of the two. */
    public DurableCommitStats plus(DurableCommitStats other) {
        long[] sizes = batchSizes.clone();
        for (int b = 0; b < sizes.length; b++) {
            sizes[b] += other.batchSizes[b];
        }
        return new DurableCommitStats(batches + other.batches, writes + other.writes, rows + other.rows,
                retried + other.retried, Math.max(largestBatch, other.largestBatch), sizes);
    }

    /** Mean calls per transaction; 0 before the first. */
    public double meanBatch() {
        return batches == 0 ? 0 : (double) writes / batches;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DurableCommitStats s && batches == s.batches && writes == s.writes && rows == s.rows
                && retried == s.retried && largestBatch == s.largestBatch && Arrays.equals(batchSizes, s.batchSizes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(batches) * 31 + Arrays.hashCode(batchSizes);
    }

    @Override
    public String toString() {
        StringBuilder sizes = new StringBuilder();
        for (int b = 0; b < SIZE_BUCKETS.length; b++) {
            int low = SIZE_BUCKETS[b];
            String range = b + 1 < SIZE_BUCKETS.length
                    ? (SIZE_BUCKETS[b + 1] - 1 == low ? String.valueOf(low) : low + "-" + (SIZE_BUCKETS[b + 1] - 1))
                    : low + "+";
            sizes.append(b == 0 ? "" : ", ").append(range).append(": ").append(batchSizes[b]);
        }
        return String.format(java.util.Locale.ROOT,
                "%d transactions for %d calls (%d rows), %.2f calls per transaction, largest %d, %d retried alone;"
                        + " transactions by calls served {%s}",
                batches, writes, rows, meanBatch(), largestBatch, retried, sizes);
    }
}
