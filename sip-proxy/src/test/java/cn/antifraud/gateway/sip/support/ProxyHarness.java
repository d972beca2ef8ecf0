package cn.antifraud.gateway.sip.support;

import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.sip.Cidr;
import cn.antifraud.gateway.sip.NextHop;
import cn.antifraud.gateway.sip.PeerRole;
import cn.antifraud.gateway.sip.SipListener;
import cn.antifraud.gateway.sip.SipProxyConfig;
import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.TrustedPeer;
import cn.antifraud.gateway.sip.UnknownSourcePolicy;
import cn.antifraud.gateway.sip.identity.IdentitySigner;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.proxy.LocalEndpoint;
import cn.antifraud.gateway.sip.proxy.LocalEndpoints;
import cn.antifraud.gateway.sip.proxy.ProtectedNames;
import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import cn.antifraud.gateway.sip.proxy.StatelessProxy;
import cn.antifraud.gateway.sip.transport.DatagramSipDecoder;
import cn.antifraud.gateway.sip.transport.NettySipSender;
import cn.antifraud.gateway.sip.transport.SipProxyHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The proxy core behind a UDP decoder and the real handler in an {@link EmbeddedChannel}. The proxy
 * listens at 127.0.0.1:5060 (UDP and TCP); 10.1.1.0/24 is the police trunk, 127.0.0.1 the carrier
 * core (asserting identity); everything else is untrusted. Calls go to 127.0.0.1:5080 by default.
 */
public final class ProxyHarness implements AutoCloseable {
    public static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    public static final InetSocketAddress POLICE = new InetSocketAddress("10.1.1.5", 5060);
    public static final InetSocketAddress CORE = new InetSocketAddress("127.0.0.1", 5070);
    public static final InetSocketAddress UNTRUSTED = new InetSocketAddress("192.0.2.7", 40123);
    public static final InetSocketAddress UAS = new InetSocketAddress("127.0.0.1", 5080);

    public final InMemoryCallerCards cards = new InMemoryCallerCards();
    public final InMemoryFraudNumbers fraud = new InMemoryFraudNumbers();
    public final InMemoryContactEventLog events = new InMemoryContactEventLog();
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final MutableClock clock = new MutableClock(NOW);
    public final EmbeddedChannel channel;
    /** The proxy core itself, for decisions a test inspects without the UDP sender (TCP sends). */
    public final StatelessProxy proxy;
    /** The registry's names the shield protects; a test sets them with {@code registeredNames}. */
    public final ProtectedNames protectedNames;
    /** What the verified-card hook answers (issue 10 item 4 plugs the real verifier in there). */
    public volatile boolean cardsVerified;

    public ProxyHarness() {
        this(b -> { });
    }

    public ProxyHarness(Consumer<SipProxyConfig.Builder> customise) {
        this(customise, null);
    }

    /** A harness whose branded calls are signed by {@code signer} (RFC 8224 Identity). */
    public ProxyHarness(Consumer<SipProxyConfig.Builder> customise, IdentitySigner signer) {
        SipProxyConfig.Builder b = baseConfig();
        customise.accept(b);
        SipProxyConfig config = b.build();
        cards.put(policeCard("+8612381", "国家反诈中心", "用户您好，该电话来自于国家反诈部门，请您接听！"));
        fraud.put(new FraudNumber(PhoneNumbers.parse("+8613111112222"), FraudType.FAKE_INVESTMENT, "case-7",
                NOW.minusSeconds(3600), null, false));
        ProxyMetrics metrics = new ProxyMetrics(meters);
        protectedNames = new ProtectedNames(config.protectedTerms());
        StatelessProxy proxy = new StatelessProxy(config, new LocalEndpoints(List.of(
                new LocalEndpoint(SipTransport.UDP, "127.0.0.1", 5060),
                new LocalEndpoint(SipTransport.TCP, "127.0.0.1", 5060))),
                cards, fraud, events, metrics, clock, protectedNames, (invite, from) -> cardsVerified, signer);
        this.proxy = proxy;
        SipMessageParser parser = new SipMessageParser(config.limits().maxHeaders(), config.limits().maxLineLength());
        channel = new EmbeddedChannel(new DatagramSipDecoder(parser, config.limits().maxMessageBytes()),
                new SipProxyHandler(proxy, new NettySipSender(null, metrics)));
    }

    public static SipProxyConfig.Builder baseConfig() {
        return SipProxyConfig.builder()
                .listener(SipListener.of(SipTransport.UDP, "127.0.0.1", 5060))
                .trustedPeer(new TrustedPeer("police-trunk", Cidr.parse("10.1.1.0/24"), PeerRole.POLICE_TRUNK, false))
                .trustedPeer(new TrustedPeer("core", Cidr.parse("127.0.0.1/32"), PeerRole.CORE, true))
                .defaultRoute(new NextHop("127.0.0.1", 5080, SipTransport.UDP))
                .unknownSourcePolicy(UnknownSourcePolicy.FORWARD_UNTRUSTED)
                .cardUrlBase("http://127.0.0.1:8080/cards/");
    }

    public static WarningNumber policeCard(String number, String name, String reason) {
        return new WarningNumber(PhoneNumbers.parse(number), name, reason, "公安部", null,
                NOW.minusSeconds(86_400), null, "auditor", NOW.minusSeconds(86_400), false);
    }

    /** Feeds one datagram from {@code sender}. */
    public void receive(byte[] message, InetSocketAddress sender) {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(message), new InetSocketAddress("127.0.0.1", 5060), sender));
        channel.runPendingTasks();
        channel.checkException();
    }

    /** The next datagram the proxy sent, or null; its buffer is released. */
    public Sent sent() {
        DatagramPacket p = channel.readOutbound();
        if (p == null) {
            return null;
        }
        try {
            return new Sent(ByteBufUtil.getBytes(p.content()), p.recipient());
        } finally {
            p.release();
        }
    }

    public double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** One datagram the proxy sent. */
    public record Sent(byte[] bytes, InetSocketAddress to) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public String startLine() {
            String t = text();
            return t.substring(0, t.indexOf("\r\n"));
        }

        /** Header lines (without CRLF) of the message. */
        public List<String> headerLines() {
            String t = text();
            String head = t.substring(t.indexOf("\r\n") + 2, t.indexOf("\r\n\r\n") + 2);
            return List.of(head.split("\r\n(?![ \\t])"));
        }
    }
}
