package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.antifraud.gateway.smpp.DataCodingPolicy;
import cn.antifraud.gateway.smpp.SourceAddress;
import cn.antifraud.gateway.smpp.encoding.EncodedSms;
import cn.antifraud.gateway.smpp.encoding.SmsEncoder;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** submit_sm octets as jsmpp writes them for the gateway's fields, checked against hand-assembled PDUs (SMPP 3.4 §4.4.1). */
class SubmitPartGoldenTest {
    private static final SourceAddress SOURCE = SourceAddress.short12381();
    private final SmsEncoder encoder = new SmsEncoder(DataCodingPolicy.UCS2_ONLY);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private SubmitPart part(String text, SmsKind kind, int index) {
        EncodedSms sms = encoder.encode(text, kind, 0x2A);
        return new SubmitPart(SOURCE, (byte) 1, (byte) 1, "8613800138000", sms.esmClass(), sms.dataCoding(), sms.parts().get(index));
    }

    @Test
    void singlePartUcs2WarningMatchesTheGoldenPdu() {
        String golden = "00000037 00000004 00000000 00000001"
                + " 00"                                   // service_type ""
                + " 03 00 3132333831 00"                   // source TON 3, NPI 0, "12381"
                + " 01 01 38363133383030313338303030 00"   // dest TON 1, NPI 1, "8613800138000"
                + " 00 00 00"                              // esm_class, protocol_id, priority_flag
                + " 00 00"                                 // schedule_delivery_time, validity_period
                + " 01"                                    // registered_delivery: receipt on final outcome
                + " 00 08 00"                              // replace_if_present, data_coding UCS2, sm_default_msg_id
                + " 04 4F60 597D";                         // sm_length, "你好" UTF-16BE
        assertArrayEquals(hex(golden), part("你好", SmsKind.NORMAL, 0).toPdu(1));
    }

    @Test
    void flashPduDiffersOnlyInDataCoding0x18() {
        byte[] normal = part("你好", SmsKind.NORMAL, 0).toPdu(1);
        byte[] flash = part("你好", SmsKind.FLASH, 0).toPdu(1);
        int dataCodingOffset = normal.length - 4 - 1 - 1 - 1;
        assertEquals(0x08, normal[dataCodingOffset]);
        assertEquals(0x18, flash[dataCodingOffset]);
        flash[dataCodingOffset] = 0x08;
        assertArrayEquals(normal, flash);
    }

    @Test
    void lastPartOfAConcatenatedWarningCarriesUdhiAndItsUdh() {
        String text = "预".repeat(134) + "警";
        byte[] pdu = part(text, SmsKind.NORMAL, 2).toPdu(7);
        ByteBuffer b = ByteBuffer.wrap(pdu);
        assertEquals(pdu.length, b.getInt(0), "command_length");
        assertEquals(4, b.getInt(4), "command_id submit_sm");
        assertEquals(7, b.getInt(12), "sequence_number");
        int esmClassOffset = 16 + 1 + 2 + 6 + 2 + 14;
        assertEquals(0x40, pdu[esmClassOffset], "esm_class UDHI");
        int smLengthOffset = esmClassOffset + 3 + 2 + 1 + 1 + 1 + 1;
        assertEquals(0x08, pdu[smLengthOffset - 2], "data_coding");
        assertEquals(8, pdu[smLengthOffset], "sm_length: 6 octets of UDH and one UCS2 character");
        assertArrayEquals(hex("050003 2A 03 03 8B66"), Arrays.copyOfRange(pdu, smLengthOffset + 1, pdu.length));
    }
}
