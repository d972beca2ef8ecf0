package cn.antifraud.gateway.smpp.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.smpp.DataCodingPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SmsEncoderTest {
    private final SmsEncoder ucs2 = new SmsEncoder(DataCodingPolicy.UCS2_ONLY);
    private final SmsEncoder gsm = new SmsEncoder(DataCodingPolicy.GSM7_WHEN_POSSIBLE);

    private static String body(byte[] part, int offset) {
        return new String(Arrays.copyOfRange(part, offset, part.length), StandardCharsets.UTF_16BE);
    }

    @Test
    void seventyChineseCharactersFitOnePartWithoutUdh() {
        String text = "警".repeat(70);
        EncodedSms sms = ucs2.encode(text, SmsKind.NORMAL, 7);
        assertEquals(1, sms.parts().size());
        assertEquals(0x08, sms.dataCoding());
        assertEquals(0x00, sms.esmClass());
        assertEquals(text, body(sms.parts().get(0), 0));
    }

    @Test
    void seventyOneCharactersBecomeTwoPartsOf67And4WithUdh() {
        String text = "诈".repeat(71);
        EncodedSms sms = ucs2.encode(text, SmsKind.NORMAL, 0xAB);
        assertEquals(2, sms.parts().size());
        assertEquals(0x40, sms.esmClass());
        byte[] first = sms.parts().get(0);
        assertArrayEquals(new byte[] {0x05, 0x00, 0x03, (byte) 0xAB, 0x02, 0x01}, Arrays.copyOf(first, 6));
        assertEquals(6 + 67 * 2, first.length);
        byte[] second = sms.parts().get(1);
        assertArrayEquals(new byte[] {0x05, 0x00, 0x03, (byte) 0xAB, 0x02, 0x02}, Arrays.copyOf(second, 6));
        assertEquals(text, body(first, 6) + body(second, 6));
    }

    @Test
    void aCutNeverFallsInsideASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String text = "反".repeat(66) + emoji + "诈".repeat(10);
        EncodedSms sms = ucs2.encode(text, SmsKind.NORMAL, 1);
        String first = body(sms.parts().get(0), 6);
        String second = body(sms.parts().get(1), 6);
        assertEquals(66, first.length(), "the pair moves whole to the next part");
        assertTrue(second.startsWith(emoji));
        assertEquals(text, first + second);
        for (byte[] part : sms.parts()) {
            String s = body(part, 6);
            assertTrue(!Character.isHighSurrogate(s.charAt(s.length() - 1)) && !Character.isLowSurrogate(s.charAt(0)));
        }
    }

    @Test
    void flashIsUcs2ClassZeroInOnePart() {
        EncodedSms sms = ucs2.encode("请立即挂断，切勿转账。", SmsKind.FLASH, 3);
        assertEquals(0x18, sms.dataCoding());
        assertEquals(0x00, sms.esmClass());
        assertEquals(1, sms.parts().size());
    }

    @Test
    void flashLongerThanOnePartIsRefusedWithItsLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ucs2.encode("闪".repeat(71), SmsKind.FLASH, 0));
        assertTrue(e.getMessage().contains("71"), e.getMessage());
    }

    @Test
    void gsm7IsUsedOnlyWhenConfiguredAndTheTextFits() {
        assertEquals(0x00, gsm.encode("Call 110 now", SmsKind.NORMAL, 0).dataCoding());
        assertEquals(0x08, gsm.encode("请拨打110", SmsKind.NORMAL, 0).dataCoding());
        assertEquals(0x08, ucs2.encode("Call 110 now", SmsKind.NORMAL, 0).dataCoding());
    }

    @Test
    void longGsm7TextIsSplitInto153SeptetPartsWithoutBreakingAnEscape() {
        String text = "a".repeat(152) + "€" + "b".repeat(20);
        EncodedSms sms = gsm.encode(text, SmsKind.NORMAL, 9);
        assertEquals(2, sms.parts().size());
        assertEquals(6 + 152, sms.parts().get(0).length, "the escape and its character move together");
        assertEquals(0x1B, sms.parts().get(1)[6]);
    }

    @Test
    void emptyTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ucs2.encode("", SmsKind.NORMAL, 0));
    }
}
