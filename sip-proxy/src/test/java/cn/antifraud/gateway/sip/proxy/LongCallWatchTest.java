package cn.antifraud.gateway.sip.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-node table of watched calls stays bounded: full of live calls it refuses, stale calls make room. */
class LongCallWatchTest {
    private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

    private static ContactEvent contact(int n, Instant at) {
        return new ContactEvent("e" + n, PhoneNumbers.parse("13800138000"), PhoneNumbers.parse("13111112222"),
                ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, "call-" + n, at, "core", FraudType.FAKE_LOAN);
    }

    @Test
    void aFullTableOfLiveCallsRefusesAndStaleCallsMakeRoom() {
        LongCallWatch watch = new LongCallWatch(Duration.ofSeconds(60));
        for (int n = 0; n < LongCallWatch.MAX_CALLS; n++) {
            assertTrue(watch.watch(contact(n, T0)));
        }
        assertFalse(watch.watch(contact(-1, T0.plusSeconds(1))), "every watched call is still live");
        assertEquals(LongCallWatch.MAX_CALLS, watch.size());

        Instant later = T0.plus(LongCallWatch.MAX_CALL).plusSeconds(1);
        assertTrue(watch.watch(contact(-2, later)), "calls older than MAX_CALL are dropped when the table is full");
        assertEquals(1, watch.size());
    }

    @Test
    void onlyAnAnsweredCallLongEnoughIsTier2() {
        LongCallWatch watch = new LongCallWatch(Duration.ofSeconds(60));
        watch.watch(contact(1, T0));
        watch.finalResponseToInvite("call-1", 200, T0.plusSeconds(5));
        assertEquals(2, watch.ended("call-1", T0.plusSeconds(65)).orElseThrow().tier());

        watch.watch(contact(2, T0));
        watch.cancelled("call-2");
        assertTrue(watch.ended("call-2", T0.plusSeconds(600)).isEmpty(), "cancelled before an answer");
        assertEquals(0, watch.size());
    }
}
