package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.support.Fixtures;
import cn.antifraud.gateway.sip.support.InMemoryCallerCards;
import cn.antifraud.gateway.sip.support.InMemoryContactEventLog;
import cn.antifraud.gateway.sip.support.InMemoryFraudNumbers;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Not a test: prints the thread CPU time of parse + proxy decision + serialisation for a branded
 * and an unbranded INVITE (the same message from a trusted peer, with and without a card in the
 * registry), a 180 response on its way back and an in-dialog BYE (loose-routed through the proxy).
 * The display-name shield (issue 10) is timed on the unbranded INVITE: without a From display name,
 * with an ordinary one (normalised and looked up, no hit), with an impostor's (hit, name removed),
 * and the ordinary one again against 5,000 registered names. Run: see docs/notes/sip-proxy.md.
 * Figures go to the docs, never into assertions.
 */
public final class ProxyCpuMeasurement {

    private ProxyCpuMeasurement() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        byte[] invite = Fixtures.bytes("invite-police.sip");
        InetSocketAddress police = ProxyHarness.POLICE;
        StatelessProxy branded = proxy(new InMemoryCallerCards().put(ProxyHarness.policeCard("+8612381", "国家反诈中心",
                "用户您好，该电话来自于国家反诈部门，请您接听！")));
        StatelessProxy unbranded = proxy(new InMemoryCallerCards());
        byte[] response = Fixtures.bytes("response-180.sip");
        byte[] bye = Fixtures.bytes("bye-in-dialog.sip");
        InetSocketAddress uas = new InetSocketAddress("127.0.0.1", 5080);
        SipMessageParser parser = new SipMessageParser(256, 8192);
        byte[] noName = Fixtures.replace("invite-police.sip", "From: \"110\" <sip:", "From: <sip:");
        byte[] ordinary = Fixtures.replace("invite-police.sip", "From: \"110\" <sip:", "From: \"张三 Zhang San\" <sip:");
        byte[] impostor = Fixtures.replace("invite-police.sip", "From: \"110\" <sip:", "From: \"国家 反诈中心\" <sip:");
        StatelessProxy manyNames = manyNames();
        for (int round = 0; round < 3; round++) {
            double b = perMessageMicros(branded, parser, invite, police, n);
            double u = perMessageMicros(unbranded, parser, invite, police, n);
            double r = perMessageMicros(unbranded, parser, response, uas, n);
            double y = perMessageMicros(unbranded, parser, bye, police, n);
            System.out.printf("round %d: branded %.2f us/INVITE, unbranded %.2f us/INVITE, branding adds %.2f us;"
                    + " 180 response %.2f us, in-dialog BYE %.2f us%n", round, b, u, b - u, r, y);
            double s0 = perMessageMicros(unbranded, parser, noName, police, n);
            double s1 = perMessageMicros(unbranded, parser, ordinary, police, n);
            double s2 = perMessageMicros(unbranded, parser, impostor, police, n);
            double s3 = perMessageMicros(manyNames, parser, ordinary, police, n);
            System.out.printf("round %d: shield check alone (normalise + look up one display name): ordinary %.3f us,"
                    + " impostor %.3f us, ordinary vs 5,000 registered names %.3f us, 40-character name %.3f us,"
                    + " 8,000-character name %.3f us, 8,000 zero-width characters then an impostor %.3f us%n", round,
                    checkMicros(ProxyHarness.baseConfig().build().protectedTerms(), List.of(), "张三 Zhang San", n * 5),
                    checkMicros(ProxyHarness.baseConfig().build().protectedTerms(), List.of(), "国家 反诈中心", n * 5),
                    checkMicros(ProxyHarness.baseConfig().build().protectedTerms(), registeredNames(), "张三 Zhang San", n * 5),
                    checkMicros(ProxyHarness.baseConfig().build().protectedTerms(), registeredNames(),
                            "深圳市南山区某某科技有限公司客户服务中心 Customer Service Dept.", n * 5),
                    checkMicros(ProxyHarness.baseConfig().build().protectedTerms(), registeredNames(), "某".repeat(8_000), n / 10),
                    checkMicros(ProxyHarness.baseConfig().build().protectedTerms(), registeredNames(),
                            "\u200B".repeat(8_000) + "国家反诈中心", n / 10));
            System.out.printf("round %d: shield, unbranded INVITE: no display name %.2f us, ordinary name %.2f us"
                    + " (+%.2f), impostor name removed %.2f us (+%.2f), ordinary name vs 5,000 registered names %.2f us (+%.2f)%n",
                    round, s0, s1, s1 - s0, s2, s2 - s0, s3, s3 - s0);
        }
    }

    private static double perMessageMicros(StatelessProxy proxy, SipMessageParser parser, byte[] invite,
                                           InetSocketAddress source, int n) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        InboundSource from = new InboundSource(SipTransport.UDP, source);
        long sink = 0;
        long start = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            ProxyAction a = proxy.process(parser.parse(invite.clone()), from);
            sink += ((ProxyAction.Send) a).bytes().length;
        }
        long cpu = mx.getCurrentThreadCpuTime() - start;
        if (sink == 42) {
            System.out.println(sink);
        }
        return cpu / 1000.0 / n;
    }

    private static StatelessProxy proxy(InMemoryCallerCards cards) {
        return proxy(cards, new ProtectedNames(ProxyHarness.baseConfig().build().protectedTerms()));
    }

    /** A proxy whose shield also protects 5,000 registered names such as 第123派出所 and 某市公安局第123分局. */
    private static StatelessProxy manyNames() {
        ProtectedNames names = new ProtectedNames(ProxyHarness.baseConfig().build().protectedTerms());
        names.registeredNames(registeredNames());
        return proxy(new InMemoryCallerCards(), names);
    }

    private static List<String> registeredNames() {
        List<String> registered = new java.util.ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            registered.add("第" + i + "派出所");
            registered.add("某市公安局第" + i + "分局");
        }
        return registered;
    }

    /** Thread CPU µs of the shield's per-INVITE work on one display name (as the wire gives it: ISO-8859-1 over UTF-8). */
    private static double checkMicros(List<String> terms, List<String> registered, String displayName, int n) {
        ProtectedNames names = new ProtectedNames(terms);
        names.registeredNames(registered);
        String latin1 = new String(displayName.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long hits = 0;
        long start = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            if (names.find(DisplayNameNormaliser.normaliseUtf8(latin1, ProtectedNames.MAX_SCANNED)) != null) {
                hits++;
            }
        }
        long cpu = mx.getCurrentThreadCpuTime() - start;
        if (hits == 42) {
            System.out.println(hits);
        }
        return cpu / 1000.0 / n;
    }

    private static StatelessProxy proxy(InMemoryCallerCards cards, ProtectedNames names) {
        return new StatelessProxy(ProxyHarness.baseConfig().build(), new LocalEndpoints(List.of(
                new LocalEndpoint(SipTransport.UDP, "127.0.0.1", 5060))), cards, new InMemoryFraudNumbers(),
                new InMemoryContactEventLog(), new ProxyMetrics(new SimpleMeterRegistry()), Clock.fixed(ProxyHarness.NOW, ZoneOffset.UTC),
                names, VerifiedCardCheck.NONE, null);
    }
}
