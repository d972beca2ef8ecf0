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
        String key;
        if (top.hasRfc3261Branch()) {
            key = top.branch() + '|' + top.host() + ':' + top.port();
        } else {
            key = request.requestUri() + '|' + request.from().tag() + '|' + request.callId() + '|'
                    + request.cseqNumber() + '|' + top.host() + ':' + top.port() + '|' + top.branch();
        }
        return PREFIX + hex(fnv64(key), 16) + '-' + loopHash;
    }

    /** The routing hash of a request, given the first Route element left after removing the proxy's own. */
    public String loopHash(SipMessage request, String remainingTopRoute) {
        String key = request.requestUri() + '|' + request.from().tag() + '|' + request.callId() + '|'
                + request.cseqNumber() + '|' + remainingTopRoute;
        return hex(fnv64(key) & 0xffffffffL, 8);
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
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h ^= c & 0xff;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static String hex(long v, int digits) {
        String s = Long.toHexString(v);
        return s.length() >= digits ? s.substring(s.length() - digits) : "0".repeat(digits - s.length()) + s;
    }
}
