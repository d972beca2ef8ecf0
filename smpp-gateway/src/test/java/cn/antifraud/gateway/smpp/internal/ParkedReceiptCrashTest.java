package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cn.antifraud.gateway.registry.work.WorkStore;
import cn.antifraud.gateway.smpp.ReceiptIdFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A receipt parked before its part was indexed is removed only after it has been applied. Found by kill -9
 * during a batch intake: the submit side removed the parked receipt, the node died before applying it, and
 * the job stayed SUBMITTED although the SMSC had sent (and had acknowledged) its receipt.
 */
class ParkedReceiptCrashTest {
    private WorkStoreMember member;
    private WorkStore<String> parked;
    private ReceiptMatcher matcher;
    private final PartRef part = new PartRef("job-1", 0, "10074");

    @BeforeEach
    void start() {
        member = new WorkStoreMember("parked-receipt");
        parked = member.store(SmsWorkStores.EARLY_RECEIPTS);
        matcher = new ReceiptMatcher(Map.of("sim", ReceiptIdFormat.AS_IS), member.store(SmsWorkStores.MESSAGE_IDS),
                parked, new SimpleMeterRegistry());
        parked.put("sim:10074", DeliveryReceipt.Status.DELIVERED.name(), Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        member.close();
    }

    @Test
    void aNodeThatDiesWhileApplyingLeavesTheReceiptParkedForTheRepairAfterTheRestart() {
        // The "death": applying throws, as a node killed mid-way never gets past it.
        assertThrows(IllegalStateException.class, () -> matcher.indexAccepted("sim", "10074", part, status -> {
            throw new IllegalStateException("killed");
        }));
        assertEquals("DELIVERED", parked.get("sim:10074"), "still parked");

        List<DeliveryReceipt.Status> applied = new ArrayList<>();
        matcher.reindex("sim", "10074", part, applied::add);   // the sweep's repair after the restart
        assertEquals(List.of(DeliveryReceipt.Status.DELIVERED), applied);
        assertNull(parked.get("sim:10074"), "released once applied");
    }

    @Test
    void aParkedReceiptIsAppliedOnIndexingAndThenReleased() {
        List<DeliveryReceipt.Status> applied = new ArrayList<>();
        matcher.indexAccepted("sim", "10074", part, applied::add);
        assertEquals(List.of(DeliveryReceipt.Status.DELIVERED), applied);
        assertNull(parked.get("sim:10074"));
    }
}
