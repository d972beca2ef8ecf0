package cn.antifraud.gateway.smpp.encoding;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.smpp.DataCodingPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns warning text into submit_sm parts.
 *
 * <ul>
 *   <li>UCS2 (data_coding 0x08, UTF-16BE): 70 code units in one part; longer text is cut into parts of at
 *       most 67 code units, each behind a 6-octet UDH with an 8-bit reference (IEI 0x00, 3GPP TS 23.040
 *       §9.2.3.24.1) and esm_class 0x40 (UDHI, SMPP 3.4 §5.2.12). A cut never falls inside a surrogate pair,
 *       so a part may carry 66 units.</li>
 *   <li>GSM 7-bit (data_coding 0x00), only under {@link DataCodingPolicy#GSM7_WHEN_POSSIBLE} and when every
 *       character is in the alphabet: 160 septets, or 153 a part, never splitting an escape pair.</li>
 *   <li>Flash (data_coding 0x18, UCS2 message class 0, 3GPP TS 23.038 §4): one part of at most 70 units,
 *       or an error.</li>
 * </ul>
 */
public final class SmsEncoder {
    public static final byte DC_DEFAULT = 0x00;
    public static final byte DC_UCS2 = 0x08;
    public static final byte DC_UCS2_FLASH = 0x18;
    public static final byte ESM_UDHI = 0x40;
    public static final int UCS2_SINGLE_UNITS = 70;
    public static final int UCS2_PART_UNITS = 67;
    public static final int GSM7_SINGLE_SEPTETS = 160;
    public static final int GSM7_PART_SEPTETS = 153;
    public static final int MAX_PARTS = 255;

    private final DataCodingPolicy policy;

    public SmsEncoder(DataCodingPolicy policy) {
        this.policy = requireNonNull(policy, "policy");
    }

    /**
     * Encodes {@code text}.
     *
     * @param reference the concatenation reference (0..255); the same for a message's every attempt, so
     *                  a resent part joins the parts the handset already has
     * @throws IllegalArgumentException for empty text, a flash message longer than one part, or more than 255 parts
     */
    public EncodedSms encode(String text, SmsKind kind, int reference) {
        requireNonNull(text, "text");
        requireNonNull(kind, "kind");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("message text is empty");
        }
        if (kind == SmsKind.FLASH) {
            if (text.length() > UCS2_SINGLE_UNITS) {
                throw new IllegalArgumentException("flash message has " + text.length()
                        + " UCS2 units; a flash SMS is one part of at most " + UCS2_SINGLE_UNITS);
            }
            return new EncodedSms(DC_UCS2_FLASH, (byte) 0, List.of(text.getBytes(StandardCharsets.UTF_16BE)));
        }
        if (policy == DataCodingPolicy.GSM7_WHEN_POSSIBLE && Gsm7.septets(text) >= 0) {
            return gsm7(text, reference);
        }
        return ucs2(text, reference);
    }

    private static EncodedSms ucs2(String text, int reference) {
        if (text.length() <= UCS2_SINGLE_UNITS) {
            return new EncodedSms(DC_UCS2, (byte) 0, List.of(text.getBytes(StandardCharsets.UTF_16BE)));
        }
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(start + UCS2_PART_UNITS, text.length());
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            chunks.add(text.substring(start, end));
            start = end;
        }
        List<byte[]> parts = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            parts.add(withUdh(reference, chunks.size(), i + 1, chunks.get(i).getBytes(StandardCharsets.UTF_16BE)));
        }
        return new EncodedSms(DC_UCS2, ESM_UDHI, checkCount(parts));
    }

    private static EncodedSms gsm7(String text, int reference) {
        byte[] septets = Gsm7.encode(text);
        if (septets.length <= GSM7_SINGLE_SEPTETS) {
            return new EncodedSms(DC_DEFAULT, (byte) 0, List.of(septets));
        }
        List<byte[]> bodies = new ArrayList<>();
        int start = 0;
        while (start < septets.length) {
            int end = Math.min(start + GSM7_PART_SEPTETS, septets.length);
            if (end < septets.length && septets[end - 1] == 0x1B) {
                end--;
            }
            byte[] body = new byte[end - start];
            System.arraycopy(septets, start, body, 0, body.length);
            bodies.add(body);
            start = end;
        }
        List<byte[]> parts = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            parts.add(withUdh(reference, bodies.size(), i + 1, bodies.get(i)));
        }
        return new EncodedSms(DC_DEFAULT, ESM_UDHI, checkCount(parts));
    }

    private static List<byte[]> checkCount(List<byte[]> parts) {
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException("message needs " + parts.size() + " parts; at most " + MAX_PARTS);
        }
        return parts;
    }

    /** UDH: length 5, IEI 0x00 (concatenated, 8-bit reference), IE length 3, reference, total, sequence. */
    private static byte[] withUdh(int reference, int total, int sequence, byte[] body) {
        byte[] out = new byte[6 + body.length];
        out[0] = 0x05;
        out[1] = 0x00;
        out[2] = 0x03;
        out[3] = (byte) reference;
        out[4] = (byte) total;
        out[5] = (byte) sequence;
        System.arraycopy(body, 0, out, 6, body.length);
        return out;
    }
}
