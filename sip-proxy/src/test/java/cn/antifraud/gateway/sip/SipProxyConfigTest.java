package cn.antifraud.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.registry.FraudType;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SipProxyConfigTest {

    private static SipProxyConfig.Builder minimal() {
        return SipProxyConfig.builder().listener(SipListener.of(SipTransport.UDP, "127.0.0.1", 5060));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        SipProxyConfig c = minimal().build();
        assertEquals(64 * 1024, c.limits().maxMessageBytes());
        assertTrue(c.recordRoute());
        assertEquals(UnknownSourcePolicy.REJECT_403, c.unknownSourcePolicy());
        assertEquals(SpoofAction.STRIP_NAME, c.spoofAction());
        assertEquals(FraudAction.WARN, c.fraudAction(FraudType.ROMANCE));
        assertFalse(c.defaultRoute().isPresent());
    }

    @Test
    void badValuesAreRejectedNamingTheSetting() {
        assertEquals("sip: at least one listener is required",
                assertThrows(IllegalArgumentException.class, () -> SipProxyConfig.builder().build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> minimal().cardUrlBase("ftp://x/").build())
                .getMessage().startsWith("sip.cardUrlBase"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> minimal()
                .trustedPeer(new TrustedPeer("a", Cidr.parse("10.0.0.0/8"), PeerRole.CORE, false))
                .trustedPeer(new TrustedPeer("a", Cidr.parse("10.0.0.0/8"), PeerRole.CORE, false)).build())
                .getMessage().contains("duplicate name 'a'"));
        assertThrows(IllegalArgumentException.class, () -> SipListener.of(SipTransport.UDP, "0.0.0.0", 5060));
        assertThrows(IllegalArgumentException.class, () -> SipListener.of(SipTransport.UDP, "sip.example.cn", 5060));
        assertThrows(IllegalArgumentException.class, () -> new PrefixRoute("13x", NextHop.parse("10.0.0.1:5060")));
        assertThrows(IllegalArgumentException.class, () -> new SipLimits(100, 256, 8192));
    }

    @Test
    void nextHopsAndCidrsParseWithoutDns() throws Exception {
        assertEquals(new NextHop("10.0.0.5", 5060, SipTransport.TCP), NextHop.parse("10.0.0.5:5060:tcp"));
        assertEquals(new NextHop("::1", 5080, SipTransport.UDP), NextHop.parse("[::1]:5080"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NextHop.parse("core.example.cn:5060"))
                .getMessage().contains("must be an IP address"));
        Cidr block = Cidr.parse("10.1.0.0/16");
        assertTrue(block.contains(InetAddress.getByName("10.1.200.3")));
        assertFalse(block.contains(InetAddress.getByName("10.2.0.1")));
        assertFalse(block.contains(InetAddress.getByName("::1")));
        assertTrue(Cidr.parse("::1").contains(InetAddress.getByName("::1")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
    }
}
