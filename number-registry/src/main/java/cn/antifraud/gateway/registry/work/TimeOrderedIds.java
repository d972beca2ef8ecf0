package cn.antifraud.gateway.registry.work;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for the keys of durable work records written in bursts and changed soon after: UUID version 7 (RFC 9562
 * §5.7), 48 bits of Unix milliseconds, then 74 random bits. The database keeps the rows ordered by key (a B-tree;
 * H2's MVStore rewrites every page a commit touches), so with random ids each row of a commit landed in its own
 * page and a commit rewrote as many pages as it had rows; ids that grow with time put a burst's rows, and their
 * changes seconds later, in the few newest pages. Hazelcast hashes the key, so records still spread evenly over
 * partitions. Not secrets: the admin API decides who may look a record up, not the id.
 */
public final class TimeOrderedIds {
    private TimeOrderedIds() {
    }

    /** A new id, as the usual 36-character UUID text; ids of later milliseconds sort after earlier ones. */
    public static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long unixMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random.nextInt() & 0x0FFFL);
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
