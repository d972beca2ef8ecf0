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
 * registry), a 180 response on its way back and an in-dialog BYE (loose-routed through the proxy). Run: see docs/notes/sip-proxy.md. Figures go to the docs, never into assertions.
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
        for (int round = 0; round < 3; round++) {
            double b = perMessageMicros(branded, parser, invite, police, n);
            double u = perMessageMicros(unbranded, parser, invite, police, n);
            double r = perMessageMicros(unbranded, parser, response, uas, n);
            double y = perMessageMicros(unbranded, parser, bye, police, n);
            System.out.printf("round %d: branded %.2f us/INVITE, unbranded %.2f us/INVITE, branding adds %.2f us;"
                    + " 180 response %.2f us, in-dialog BYE %.2f us%n", round, b, u, b - u, r, y);
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
        return new StatelessProxy(ProxyHarness.baseConfig().build(), new LocalEndpoints(List.of(
                new LocalEndpoint(SipTransport.UDP, "127.0.0.1", 5060))), cards, new InMemoryFraudNumbers(),
                new InMemoryContactEventLog(), new ProxyMetrics(new SimpleMeterRegistry()), Clock.fixed(ProxyHarness.NOW, ZoneOffset.UTC));
    }
}
