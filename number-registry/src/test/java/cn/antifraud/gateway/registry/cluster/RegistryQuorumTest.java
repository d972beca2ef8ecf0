package cn.antifraud.gateway.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.NoQuorumException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The quorum flag on its own, with the clock passed in (no waiting): counts, reloads and process pauses. */
class RegistryQuorumTest {

    private static final long S = 1_000_000_000L;
    private static final Duration DETECTOR = Duration.ofSeconds(10);

    @Test
    void aMajorityOfTheConfiguredMembersIsAQuorum() {
        RegistryQuorum q = new RegistryQuorum(2, 3, DETECTOR, 0);
        q.update(3);
        assertTrue(q.present(S / 10));
        q.update(2);
        assertTrue(q.present(S / 10), "two of three");
        q.update(1);
        assertFalse(q.present(S / 10));
        assertEquals("registry: no quorum, 1 of 3 members visible (quorum 2)", q.describe(S / 10));
        NoQuorumException e = assertThrows(NoQuorumException.class, q::ensure);
        assertTrue(e.getMessage().startsWith("registry: no quorum, 1 of 3 members visible"), e.getMessage());
    }

    @Test
    void aMemberReloadingAfterAMergeHasNoQuorumYet() {
        RegistryQuorum q = new RegistryQuorum(2, 3, DETECTOR, 0);
        q.update(3);
        q.reloading(true);
        assertFalse(q.present(S / 10));
        assertTrue(q.describe(S / 10).contains("reloading from the database after a split-brain merge"), q.describe(S / 10));
        q.reloading(false);
        assertTrue(q.present(S / 10));
    }

    @Test
    void aRegainedQuorumCountsAsReloadingUntilTheReloadEndsButAFirstQuorumAtStartDoesNot() {
        RegistryQuorum q = new RegistryQuorum(2, 3, DETECTOR, 0);
        int[] regained = {0};
        q.onRegained(() -> regained[0]++);
        q.update(1);
        q.update(2);
        assertTrue(q.present(S / 10), "reaching the quorum at start is no regain");
        assertEquals(0, regained[0]);
        q.update(3);
        q.update(1);
        assertFalse(q.present(S / 10));
        q.update(3);
        assertEquals(1, regained[0], "back from 1 of 3");
        assertFalse(q.present(S / 10), "no branding from maps the majority may have changed meanwhile");
        assertTrue(q.describe(S / 10).contains("reloading from the database"), q.describe(S / 10));
        q.reloading(false);
        assertTrue(q.present(S / 10));
        q.update(2);
        assertEquals(1, regained[0], "3 to 2 keeps the quorum: no regain");
    }

    @Test
    void aPauseLongerThanHalfTheDetectorSuspendsTheQuorumForAWholeDetectorPeriod() {
        RegistryQuorum q = new RegistryQuorum(2, 3, DETECTOR, 0);
        q.update(3);
        for (long t = 0; t <= 2 * S; t += S / 4) {
            q.tick(t);
        }
        assertTrue(q.present(2 * S + S / 10), "ticking normally");
        // Paused from 2 s to 8 s: before the watch ticks again, the stale tick alone says so.
        assertFalse(q.present(8 * S), "an INVITE handled the instant the process resumes is not branded");
        assertTrue(q.describe(8 * S).contains("paused"), q.describe(8 * S));
        q.tick(8 * S);
        for (long t = 8 * S; t < 20 * S; t += S / 4) {
            q.tick(t);
            assertFalse(q.present(t), "still unconfirmed at " + t / (double) S + " s");
        }
        for (long t = 20 * S; t <= 21 * S; t += S / 4) {
            q.tick(t);
        }
        assertTrue(q.present(21 * S), "a detector period (10 s) and 2 s after the pause, the member list is trusted");
    }

    @Test
    void aShortPauseChangesNothing() {
        RegistryQuorum q = new RegistryQuorum(2, 3, DETECTOR, 0);
        q.update(3);
        q.tick(S);
        q.tick(5 * S);
        assertTrue(q.present(5 * S + S / 10), "4 s is under half of the 10 s detector");
    }

    @Test
    void aSingleNodeAlwaysHasItsQuorumEvenAfterAPause() {
        RegistryQuorum q = new RegistryQuorum(1, 0, DETECTOR, 0);
        q.update(1);
        q.tick(60 * S);
        assertTrue(q.present(60 * S + 1));
        assertEquals("registry: quorum, 1 of 1 members visible (quorum 1)", q.describe(60 * S + 1));
    }
}
