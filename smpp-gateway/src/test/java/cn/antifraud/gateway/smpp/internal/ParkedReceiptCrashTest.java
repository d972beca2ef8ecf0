package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cn.antifraud.gateway.registry.work.WorkStore;
import cn.antifraud.gateway.smpp.ReceiptIdFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A receipt parked before its part was indexed is removed only after it has been applied. Found by kill -9
 * during a batch intake: the submit side removed the parked receipt, the node died before applying it, and
 * the job stayed SUBMITTED although the SMSC had sent (and had acknowledged) its receipt. And the two sides
 * meet in the index entry: the submit side looks for a parked receipt only when the receipt side marked the
 * entry, and a receipt parked without its mark (its node died in between) waits for the sweep's repair.
 */
class ParkedReceiptCrashTest {
    private WorkStoreMember member;
    private WorkStore<String> parked;
    private WorkStore<String> index;
    private ReceiptMatcher matcher;
    private final PartRef part = new PartRef("job-1", 0, "10074");

    @BeforeEach
    void start() {
        member = new WorkStoreMember("parked-receipt");
        parked = member.store(SmsWorkStores.EARLY_RECEIPTS);
        index = member.store(SmsWorkStores.MESSAGE_IDS);
        matcher = new ReceiptMatcher(Map.of("sim", ReceiptIdFormat.AS_IS), index, parked, new SimpleMeterRegistry());
        // The receipt overtakes its submit_sm_resp: nothing to match yet, so it is parked and the entry marked.
        assertEquals(Optional.empty(), matcher.match("sim", new DeliveryReceipt("10074", DeliveryReceipt.Status.DELIVERED)));
        assertEquals("DELIVERED", parked.get("sim:10074"));
        assertEquals(ReceiptMatcher.WAITING, index.get("sim:10074"));
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
        assertEquals(part.encoded(), index.get("sim:10074"), "the part took the entry over from the mark");
    }

    @Test
    void aReceiptParkedWithoutItsMarkWaitsForTheSweepsRepair() {
        // Its node died between parking the receipt and marking the entry.
        index.remove("sim:10074");
        List<DeliveryReceipt.Status> applied = new ArrayList<>();
        matcher.indexAccepted("sim", "10074", part, applied::add);
        assertEquals(List.of(), applied, "no mark: the submit side does not look among the parked receipts");
        assertEquals("DELIVERED", parked.get("sim:10074"), "still parked");

        matcher.reindex("sim", "10074", part, applied::add);   // the sweep: SUBMITTED for 10 s without a receipt
        assertEquals(List.of(DeliveryReceipt.Status.DELIVERED), applied);
        assertNull(parked.get("sim:10074"));
    }

    @Test
    void aMarkLeftByAReceiptWhoseEntryWasLostIsTakenOverByTheRepair() {
        List<DeliveryReceipt.Status> applied = new ArrayList<>();
        matcher.reindex("sim", "10074", part, applied::add);
        assertEquals(List.of(DeliveryReceipt.Status.DELIVERED), applied);
        assertEquals(part.encoded(), index.get("sim:10074"));
    }

    @Test
    void aReceiptAfterItsPartWasIndexedMatchesItAndParksNothing() {
        PartRef other = new PartRef("job-2", 1, "20001");
        matcher.indexAccepted("sim", "20001", other, status -> {
            throw new AssertionError("no receipt was parked for it");
        });
        assertEquals(Optional.of(other), matcher.match("sim", new DeliveryReceipt("20001", DeliveryReceipt.Status.FAILED)));
        assertNull(parked.get("sim:20001"));
    }
}
