package cn.antifraud.gateway.smpp.encoding;

import java.io.ByteArrayOutputStream;

/**
 * The GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 §6.2.1), unpacked one septet per
 * octet as SMPP carries it for data_coding 0x00. Characters of the extension table take two septets.
 */
public final class Gsm7 {
    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION_CHARS = "\f^{}\\[~]|€";
    private static final byte[] EXTENSION_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};
    private static final byte ESCAPE = 0x1B;

    private Gsm7() {
    }

    /** The number of septets {@code text} needs, or -1 when a character is outside the alphabet. */
    public static int septets(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\u001b' && BASIC.indexOf(c) >= 0) {
                n++;
            } else if (EXTENSION_CHARS.indexOf(c) >= 0) {
                n += 2;
            } else {
                return -1;
            }
        }
        return n;
    }

    /** Unpacked septets of {@code text}; call only when {@link #septets} is not -1. */
    public static byte[] encode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int basic = c == '\u001b' ? -1 : BASIC.indexOf(c);
            if (basic >= 0) {
                out.write(basic);
                continue;
            }
            int ext = EXTENSION_CHARS.indexOf(c);
            if (ext < 0) {
                throw new IllegalArgumentException("character U+" + Integer.toHexString(c) + " is not in the GSM 03.38 alphabet");
            }
            out.write(ESCAPE);
            out.write(EXTENSION_CODES[ext]);
        }
        return out.toByteArray();
    }
}
