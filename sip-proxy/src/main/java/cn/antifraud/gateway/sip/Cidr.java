package cn.antifraud.gateway.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address block in CIDR notation (RFC 4632 §3.1), e.g. {@code 10.1.0.0/16}. A bare
 * address is a single-host block.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code x::y/n} or a bare address. Only IP literals are accepted, so
     * parsing never touches DNS.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Cidr parse(String s) {
        Objects.requireNonNull(s, "cidr");
        String t = s.trim();
        int slash = t.indexOf('/');
        String address = slash >= 0 ? t.substring(0, slash) : t;
        if (!isIpLiteral(address)) {
            throw new IllegalArgumentException("CIDR '" + s + "' does not start with an IP address");
        }
        byte[] bytes = literal(address);
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CIDR '" + s + "' has a non-numeric prefix length");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("CIDR '" + s + "' prefix length must be 0 to " + max);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, t);
    }

    /** True when {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        return java.util.Arrays.equals(mask(a, prefixLength), network);
    }

    /** True for a dotted IPv4 address or an IPv6 literal; never resolves a name. */
    public static boolean isIpLiteral(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        if (s.indexOf(':') >= 0) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            return true;
        }
        // Dotted quad, by hand: this runs for every response's Via target, and split() compiles a regex.
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255) {
                    return false;
                }
                parts++;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    /** The address of an IP literal; callers check {@link #isIpLiteral} first, so no lookup happens. */
    static byte[] literal(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + ip + "' is not an IP address", e);
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
