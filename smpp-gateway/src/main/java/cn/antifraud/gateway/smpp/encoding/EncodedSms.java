package cn.antifraud.gateway.smpp.encoding;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One message ready for submit_sm: the data_coding and esm_class octets (SMPP 3.4 §5.2.19, §5.2.12) and
 * one short_message per part, each already carrying its user data header when concatenated.
 *
 * @param dataCoding 0x08 UCS2, 0x18 UCS2 class 0 (flash), 0x00 SMSC default alphabet
 * @param esmClass   0x40 (UDHI) when the parts carry a UDH, else 0x00
 * @param parts      short_message octets, in order
 */
public record EncodedSms(byte dataCoding, byte esmClass, List<byte[]> parts) {

    public EncodedSms {
        parts = List.copyOf(requireNonNull(parts, "parts"));
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a message has at least one part");
        }
    }
}
