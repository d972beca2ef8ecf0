package cn.antifraud.gateway.sip.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.antifraud.gateway.sip.message.SipMessage;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.message.Via;
import cn.antifraud.gateway.sip.support.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Branches must not change between versions: a retransmission, CANCEL or ACK handled by an upgraded
 * node has to get the branch the old node gave the INVITE. The expected values here are computed the
 * way the first version did, by hashing the concatenated key string.
 */
class BranchFactoryTest {
    private final SipMessageParser parser = new SipMessageParser(64, 4096);
    private final BranchFactory branches = new BranchFactory();

    @Test
    void branchAndLoopHashEqualThoseOfTheConcatenatedKey() {
        List<byte[]> requests = List.of(
                Fixtures.bytes("invite-police.sip"),
                Fixtures.replace("invite-police.sip", "branch=z9hG4bK-police-1", "branch=old-style-77"),
                Fixtures.replace("invite-police.sip", ";branch=z9hG4bK-police-1", ""),
                Fixtures.replace("invite-police.sip", "10.1.1.5:5060;branch", "[2001:db8::1];branch"),
                Fixtures.replace("invite-police.sip", ";tag=p1", ""),
                Fixtures.replace("invite-police.sip", "CSeq: 1 INVITE", "CSeq: 2147483647 INVITE"),
                Fixtures.replace("invite-police.sip", "CSeq: 1 INVITE", "CSeq: 0 INVITE"),
                Fixtures.replace("invite-police.sip", "INVITE sip:13800138000@", "INVITE sip:张三@"),
                Fixtures.bytes("bye-in-dialog.sip"));
        for (byte[] raw : requests) {
            SipMessage m = parser.parse(raw).message();
            for (String route : Arrays.asList(null, "<sip:10.9.9.9;lr>", "")) {
                String loopHash = branches.loopHash(m, route);
                String name = new String(raw, StandardCharsets.UTF_8).lines().findFirst().orElseThrow() + " route " + route;
                assertEquals(oldLoopHash(m, route), loopHash, name);
                assertEquals(oldBranch(m, loopHash), branches.branch(m, loopHash), name);
            }
        }
    }

    private static String oldBranch(SipMessage request, String loopHash) {
        Via top = request.topVia();
        String key;
        if (top.hasRfc3261Branch()) {
            key = top.branch() + '|' + top.host() + ':' + top.port();
        } else {
            key = request.requestUri() + '|' + request.from().tag() + '|' + request.callId() + '|'
                    + request.cseqNumber() + '|' + top.host() + ':' + top.port() + '|' + top.branch();
        }
        return BranchFactory.PREFIX + oldHex(BranchFactory.fnv64(key), 16) + '-' + loopHash;
    }

    private static String oldLoopHash(SipMessage request, String remainingTopRoute) {
        String key = request.requestUri() + '|' + request.from().tag() + '|' + request.callId() + '|'
                + request.cseqNumber() + '|' + remainingTopRoute;
        return oldHex(BranchFactory.fnv64(key) & 0xffffffffL, 8);
    }

    private static String oldHex(long v, int digits) {
        String s = Long.toHexString(v);
        return s.length() >= digits ? s.substring(s.length() - digits) : "0".repeat(digits - s.length()) + s;
    }

    @Test
    void numbersHashAsTheirDecimalText() {
        for (long v : new long[] {0, 1, 9, 10, 99, 100, 5060, -1, -10, 2147483647L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(BranchFactory.fnv64(Long.toString(v)), BranchFactory.fnv(0xcbf29ce484222325L, v), Long.toString(v));
        }
    }
}
