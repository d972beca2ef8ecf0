package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.junit.jupiter.api.Test;

class DeliveryReceiptTest {

    private static DeliverSm receipt(String text) {
        DeliverSm d = new DeliverSm();
        d.setEsmClass((byte) 0x04);
        d.setShortMessage(text.getBytes(StandardCharsets.ISO_8859_1));
        return d;
    }

    @Test
    void theIdAndStateComeFromTheTextWhenThereIsNoTlv() {
        DeliveryReceipt r = DeliveryReceipt.from(receipt(
                "id:0012345 sub:001 dlvrd:001 submit date:2611220800 done date:2611220801 stat:DELIVRD err:000 text:")).orElseThrow();
        assertEquals("0012345", r.messageId());
        assertEquals(DeliveryReceipt.Status.DELIVERED, r.status());
    }

    @Test
    void theTlvWinsOverTheText() {
        DeliverSm d = receipt("id:999 stat:UNDELIV");
        d.setOptionalParameters(new OptionalParameter.COctetString(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code(), "ABC1"),
                new OptionalParameter.Byte(OptionalParameter.Tag.MESSAGE_STATE, (byte) 2));
        DeliveryReceipt r = DeliveryReceipt.from(d).orElseThrow();
        assertEquals("ABC1", r.messageId());
        assertEquals(DeliveryReceipt.Status.DELIVERED, r.status());
    }

    @Test
    void aReceiptWithoutAnyIdIsReportedAsEmpty() {
        assertTrue(DeliveryReceipt.from(receipt("stat:DELIVRD")).isEmpty());
    }

    @Test
    void failedAndExpiredStatesAreFinal() {
        assertEquals(DeliveryReceipt.Status.FAILED, DeliveryReceipt.fromStat("UNDELIV"));
        assertEquals(DeliveryReceipt.Status.FAILED, DeliveryReceipt.fromStat("REJECTD"));
        assertEquals(DeliveryReceipt.Status.EXPIRED, DeliveryReceipt.fromStat("EXPIRED"));
        assertEquals(DeliveryReceipt.Status.NOT_FINAL, DeliveryReceipt.fromStat("ENROUTE"));
    }
}
