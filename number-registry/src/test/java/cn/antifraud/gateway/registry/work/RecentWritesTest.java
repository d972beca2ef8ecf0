package cn.antifraud.gateway.registry.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The bounded memory of a member's own writes behind {@link HazelcastWorkStore#update}. */
class RecentWritesTest {

    @Test
    void remembersTheLastWriteOfAKeyUntilForgotten() {
        RecentWrites<String> recent = new RecentWrites<>(10);
        recent.wrote("a", new byte[] {1}, "v" + 1);
        recent.wrote("a", new byte[] {2}, "v" + 2);
        assertArrayEquals(new byte[] {2}, recent.guess("a").stored());
        assertEquals("v" + 2, recent.guess("a").value());
        recent.forget("a");
        assertNull(recent.guess("a"));
    }

    @Test
    void keepsAtMostItsCapacityForgettingTheOldestFirst() {
        RecentWrites<String> recent = new RecentWrites<>(3);
        for (int i = 0; i < 5; i++) {
            recent.wrote("k" + i, new byte[] {(byte) i}, "v" + (byte) i);
        }
        assertEquals(3, recent.size());
        assertNull(recent.guess("k0"));
        assertNull(recent.guess("k1"));
        assertArrayEquals(new byte[] {4}, recent.guess("k4").stored());
        assertEquals("v" + 4, recent.guess("k4").value());
    }

    @Test
    void keysForgottenAndWrittenAgainDoNotGrowIt() {
        RecentWrites<String> recent = new RecentWrites<>(3);
        for (int i = 0; i < 10_000; i++) {
            recent.wrote("k" + (i % 5), new byte[] {1}, "v" + 1);
            recent.forget("k" + ((i + 2) % 5));
        }
        assertEquals(true, recent.size() <= 3, "size " + recent.size());
        recent.wrote("last", new byte[] {9}, "v" + 9);
        assertArrayEquals(new byte[] {9}, recent.guess("last").stored());
        assertEquals("v" + 9, recent.guess("last").value());
    }

    @Test
    void capacityZeroRemembersNothing() {
        RecentWrites<String> recent = new RecentWrites<>(0);
        recent.wrote("a", new byte[] {1}, "v" + 1);
        assertNull(recent.guess("a"));
    }
}
