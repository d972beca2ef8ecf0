package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.message.SipMessage;
import cn.antifraud.gateway.sip.message.Via;

/**
 * The branch of the Via the proxy adds, computed from the request alone as a stateless proxy must
 * (RFC 3261 §16.11): a retransmission, the CANCEL of an INVITE and the ACK of a non-2xx answer
 * produce the same branch as the INVITE, because the transaction part hashes the incoming top
 * Via's branch and sent-by (or, for a pre-RFC 3261 client, the §17.2.3 matching fields), never the
 * method. A second part hashes what routes the request (Request-URI, From tag, Call-ID, CSeq
 * number, the Route left after ours) and serves loop detection (§16.3 step 4): the same request
 * arriving again with our Via and the same routing part has looped; a different one is a spiral.
 *
 * <p>Format: {@code z9hG4bK-af<16 hex>-<8 hex>}. FNV-1a is not cryptographic; the incoming branch is
 * already unique per transaction (§8.1.1.7), the hash only has to keep it unique and short.
 */
public final class BranchFactory {
    static final String PREFIX = Via.MAGIC_COOKIE + "-af";

    /** The branch for a request whose routing hash is {@code loopHash}. */
    public String branch(SipMessage request, String loopHash) {
        Via top = request.topVia();
        // The hash of the key string "branch|host:port" (or the §17.2.3 fields), fed piece by piece:
        // the same value as hashing the concatenation, without building it per request.
        long h = FNV_OFFSET;
        if (top.hasRfc3261Branch()) {
            h = fnv(h, top.branch());
            h = fnv(h, '|');
        } else {
            h = routingKey(h, request);
        }
        h = fnv(h, top.host());
        h = fnv(h, ':');
        h = fnv(h, top.port());
        if (!top.hasRfc3261Branch()) {
            h = fnv(h, '|');
            h = fnv(h, top.branch());
        }
        return PREFIX + hex(h, 16) + '-' + loopHash;
    }

    /** The routing hash of a request, given the first Route element left after removing the proxy's own. */
    public String loopHash(SipMessage request, String remainingTopRoute) {
        long h = fnv(routingKey(FNV_OFFSET, request), remainingTopRoute);
        return hex(h & 0xffffffffL, 8);
    }

    /** Feeds "Request-URI|From tag|Call-ID|CSeq number|" into the hash {@code h}. */
    private static long routingKey(long h, SipMessage request) {
        h = fnv(h, request.requestUri());
        h = fnv(h, '|');
        h = fnv(h, request.from().tag());
        h = fnv(h, '|');
        h = fnv(h, request.callId());
        h = fnv(h, '|');
        h = fnv(h, request.cseqNumber());
        return fnv(h, '|');
    }

    /** The routing hash in a branch this proxy made, or null for any other branch. */
    public static String loopHashOf(String branch) {
        if (branch == null || !branch.startsWith(PREFIX)) {
            return null;
        }
        int dash = branch.lastIndexOf('-');
        return dash > PREFIX.length() ? branch.substring(dash + 1) : null;
    }

    /** A deterministic To tag for the proxy's own responses, so a retransmitted request gets the same answer. */
    public static String toTag(SipMessage request) {
        return hex(fnv64(request.callId() + '|' + request.from().tag() + '|' + request.topVia().branch()), 16);
    }

    static long fnv64(String s) {
        return fnv(FNV_OFFSET, s);
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** FNV-1a over the UTF-16 units of {@code s} (low byte, then high byte); null hashes as "null", as string concatenation wrote it. */
    static long fnv(long h, String s) {
        String t = s == null ? "null" : s;
        for (int i = 0; i < t.length(); i++) {
            h = fnv(h, t.charAt(i));
        }
        return h;
    }

    static long fnv(long h, char c) {
        h ^= c & 0xff;
        h *= FNV_PRIME;
        h ^= c >>> 8;
        h *= FNV_PRIME;
        return h;
    }

    /** The hash of the decimal digits of {@code v}, as string concatenation writes a number. */
    static long fnv(long h, long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return fnv(h, Long.toString(v));
            }
            h = fnv(h, '-');
            v = -v;
        }
        long divisor = 1;
        while (divisor <= v / 10) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            h = fnv(h, (char) ('0' + v / divisor % 10));
        }
        return h;
    }

    /** The last {@code digits} hex digits of {@code v}, zero-padded: what Long.toHexString would end with. */
    private static String hex(long v, int digits) {
        char[] out = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(out);
    }
}
