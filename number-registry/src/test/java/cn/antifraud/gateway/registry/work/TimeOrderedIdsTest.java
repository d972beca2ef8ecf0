package cn.antifraud.gateway.registry.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** RFC 9562 §5.7 layout: version 7, variant 10, the milliseconds first, so later ids sort after earlier ones. */
class TimeOrderedIdsTest {

    @Test
    void anIdIsAVersion7UuidCarryingItsMilliseconds() {
        long millis = 1_796_256_000_123L;
        UUID id = UUID.fromString(TimeOrderedIds.next(millis));
        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "the RFC variant (binary 10)");
        assertEquals(millis, id.getMostSignificantBits() >>> 16);
        assertEquals(36, TimeOrderedIds.next(millis).length());
    }

    @Test
    void idsOfLaterMillisecondsSortAfterAsTextAndTheRandomBitsKeepThemApart() {
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (long millis = 1_796_256_000_000L; millis < 1_796_256_000_000L + 1_000; millis++) {
            String first = TimeOrderedIds.next(millis);
            assertTrue(first.compareTo(previous) > 0, first + " after " + previous);
            for (int i = 0; i < 100; i++) {
                String id = TimeOrderedIds.next(millis);
                assertTrue(seen.add(id), "a repeated id: " + id);
                previous = id.compareTo(previous) > 0 ? id : previous;
            }
            seen.add(first);
        }
        assertEquals(101_000, seen.size());
    }
}
