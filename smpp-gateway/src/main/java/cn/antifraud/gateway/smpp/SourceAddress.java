package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

/**
 * The source_addr of every warning with its type of number and numbering plan (SMPP 3.4 §5.2.5, §5.2.6).
 *
 * @param address the short code, 12381 by default
 * @param ton     type of number (0 unknown, 1 international, 2 national, 3 network specific, 4 subscriber, 5 alphanumeric, 6 abbreviated)
 * @param npi     numbering plan indicator (0 unknown, 1 E.164, ...)
 */
public record SourceAddress(String address, byte ton, byte npi) {

    public SourceAddress {
        requireNonNull(address, "address");
        if (address.isEmpty() || address.length() > 20) {
            throw new IllegalArgumentException("source address must be 1..20 characters, got '" + address + "'");
        }
        if (ton < 0 || ton > 6) {
            throw new IllegalArgumentException("source TON must be 0..6, got " + ton);
        }
        if (npi < 0 || npi > 18) {
            throw new IllegalArgumentException("source NPI must be 0..18, got " + npi);
        }
    }

    /** 12381 as a network-specific short code (TON 3, NPI 0), as Chinese SMSCs commonly expect. */
    public static SourceAddress short12381() {
        return new SourceAddress("12381", (byte) 3, (byte) 0);
    }
}
