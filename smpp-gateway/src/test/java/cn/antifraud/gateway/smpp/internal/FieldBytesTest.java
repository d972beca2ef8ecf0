package cn.antifraud.gateway.smpp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FieldBytes} writes exactly what {@code DataOutputStream} writes (the stored jobs and warnings of
 * earlier releases, and earlier releases reading ours, depend on it) and reads it back.
 */
class FieldBytesTest {
    private static final List<String> STRINGS = List.of("", "a", "0190e2b4-7c1a-7000-8000-0123456789ab", "8613800138000",
            "【12381】您好，您刚刚接到的电话涉嫌诈骗，请勿转账。如有疑问请拨打110。", "é ü ß ÿ ĀĒ", "nul\0inside", "\0",
            "emoji 😀 and 𠀀 (surrogate pairs)", "\uD800 lone high", "lone low \uDC00", "\u007F\u0080\u07FF\u0800\uFFFF",
            "x".repeat(65_535), "中".repeat(21_845));

    @Test
    void writesWhatDataOutputStreamWrites() throws IOException {
        for (String s : STRINGS) {
            assertArrayEquals(viaStream(s), viaWriter(s), () -> "string of " + s.length() + " chars");
        }
        Random random = new Random(12381);
        for (int n = 0; n < 2000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                b.append((char) (random.nextBoolean() ? random.nextInt(0x100) : random.nextInt(0x10000)));
            }
            String s = b.toString();
            assertArrayEquals(viaStream(s), viaWriter(s), () -> "random string " + s.chars().boxed().toList());
        }
    }

    @Test
    void readsBackWhatDataOutputStreamWrote() throws IOException {
        List<String> all = new ArrayList<>(STRINGS);
        Random random = new Random(110);
        for (int n = 0; n < 2000; n++) {
            char[] cs = new char[random.nextInt(30)];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = (char) random.nextInt(0x10000);
            }
            all.add(new String(cs));
        }
        for (String s : all) {
            FieldBytes.Reader in = new FieldBytes.Reader(viaStream(s));
            assertEquals(-7, in.readInt());
            assertEquals(Long.MIN_VALUE + 12381, in.readLong());
            assertEquals(0xBEEF, in.readUnsignedShort());
            assertEquals(-1, in.readByte());
            assertTrue(in.readBoolean());
            assertEquals(s, in.readUtf());
        }
    }

    @Test
    void aStringPastSixtyFourKilobytesIsRefused() {
        FieldBytes.Writer out = new FieldBytes.Writer(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> out.writeUtf("中".repeat(21_846)));
        assertTrue(e.getMessage().contains("65538 bytes"), e.getMessage());
    }

    @Test
    void truncatedOrMalformedBytesAreRefused() throws IOException {
        byte[] whole = viaStream("【12381】提醒");
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            assertThrows(IllegalArgumentException.class, () -> {
                FieldBytes.Reader in = new FieldBytes.Reader(part);
                in.readInt();
                in.readLong();
                in.readUnsignedShort();
                in.readByte();
                in.readBoolean();
                in.readUtf();
            }, "cut at " + cut);
        }
        // A lead byte of three without its continuation bytes.
        assertThrows(IllegalArgumentException.class, () -> new FieldBytes.Reader(new byte[] {0, 2, (byte) 0xE4, 0x41}).readUtf());
        assertThrows(IllegalArgumentException.class, () -> new FieldBytes.Reader(new byte[] {0, 1, (byte) 0xF0}).readUtf());
    }

    private static byte[] viaStream(String s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(-7);
            out.writeLong(Long.MIN_VALUE + 12381);
            out.writeShort(0xBEEF);
            out.writeByte(-1);
            out.writeBoolean(true);
            out.writeUTF(s);
        }
        return bytes.toByteArray();
    }

    private static byte[] viaWriter(String s) {
        FieldBytes.Writer out = new FieldBytes.Writer(4);
        out.writeInt(-7);
        out.writeLong(Long.MIN_VALUE + 12381);
        out.writeShort(0xBEEF);
        out.writeByte(-1);
        out.writeBoolean(true);
        out.writeUtf(s);
        return out.toByteArray();
    }
}
