import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.sip.identity.IdentitySigner;
import cn.antifraud.gateway.sip.identity.IdentityVerifier;
import cn.antifraud.gateway.sip.identity.TestIdentityMaterial;
import cn.antifraud.gateway.sip.message.SipMessage;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.support.Fixtures;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * CPU per INVITE of the signing added to branding, in process and on one thread: the police INVITE
 * fixture goes through the real proxy core (UDP decoder, StatelessProxy, handler, in an
 * EmbeddedChannel) branded without and with an IdentitySigner; beside it, one ES256 signature
 * alone and one verification alone. Thread CPU time (ThreadMXBean), ROUNDS rounds in alternating
 * order after a warm-up, each N operations; prints each round and the medians. The machine is
 * shared: quote the medians and the ratio, not one round.
 *
 * Run with loadtest/identity/bench-signing.sh (it builds the class path and starts this from sip-proxy/).
 */
public final class SigningCostBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final InetSocketAddress POLICE = ProxyHarness.POLICE;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        byte[] invite = Fixtures.bytes("invite-police.sip");

        ProxyHarness unsigned = shifted(new ProxyHarness(b -> { }));
        IdentitySigner signer = TestIdentityMaterial.signer(new SimpleMeterRegistry());
        ProxyHarness signed = shifted(new ProxyHarness(b -> { }, signer));
        signed.receive(invite, POLICE);
        String forwarded = signed.sent().text();
        if (!forwarded.contains("\r\nIdentity: ")) {
            throw new IllegalStateException("the signed harness did not sign: " + forwarded);
        }
        unsigned.receive(invite, POLICE);
        if (unsigned.sent().text().contains("\r\nIdentity: ")) {
            throw new IllegalStateException("the unsigned harness signed");
        }
        WarningNumber card = unsigned.cards.registered(PhoneNumbers.parse("+8612381")).orElseThrow();
        var orig = PhoneNumbers.parse("+8612381");
        var dest = PhoneNumbers.parse("13800138000");
        Instant now = signed.clock.instant();
        SipMessage received = new SipMessageParser(256, 8192).parse(forwarded.getBytes(StandardCharsets.UTF_8)).message();
        IdentityVerifier verifier = new IdentityVerifier(TestIdentityMaterial.known(), Duration.ofSeconds(60));
        if (!verifier.verify(received, now).verified()) {
            throw new IllegalStateException("the forwarded Identity does not verify: " + verifier.verify(received, now));
        }

        List<Case> cases = List.of(
                new Case("branded INVITE, unsigned", i -> { unsigned.receive(invite, POLICE); unsigned.sent(); }),
                new Case("branded INVITE, signed", i -> { signed.receive(invite, POLICE); signed.sent(); }),
                new Case("ES256 sign alone (claims + signature)", i -> signer.identityOrNull(card, orig, dest,
                        "http://127.0.0.1:8080/cards/+8612381", now)),
                new Case("verify alone (rcd PASSporT of an INVITE)", i -> verifier.verify(received, now)));
        for (Case c : cases) {
            c.measure(n); // warm-up, not recorded
            c.samples.clear();
        }
        System.out.printf("rounds=%d, operations per round=%d, cores=%d%n", rounds, n, Runtime.getRuntime().availableProcessors());
        for (int r = 0; r < rounds; r++) {
            List<Case> order = new ArrayList<>(cases);
            if (r % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
            for (Case c : order) {
                line.append(String.format("  %s %.1f us", c.name, c.measure(n)));
            }
            System.out.println(line);
        }
        System.out.println();
        double unsignedMedian = cases.get(0).median();
        double signedMedian = cases.get(1).median();
        for (Case c : cases) {
            System.out.printf("median %-42s %7.1f us CPU per operation%n", c.name, c.median());
        }
        System.out.printf("signing adds %.1f us CPU per branded INVITE (median signed - median unsigned), ratio %.2f%n",
                signedMedian - unsignedMedian, signedMedian / unsignedMedian);
        unsigned.close();
        signed.close();
    }

    /** The harness clock moved past the creation of the test certificates (valid from then on). */
    private static ProxyHarness shifted(ProxyHarness h) {
        h.clock.advance(Duration.between(h.clock.instant(), Instant.now().plusSeconds(120)));
        return h;
    }

    private static final class Case {
        final String name;
        final IntConsumer op;
        final List<Double> samples = new ArrayList<>();

        Case(String name, IntConsumer op) {
            this.name = name;
            this.op = op;
        }

        /** Thread CPU microseconds per operation over n operations; recorded as one sample. */
        double measure(int n) {
            long start = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                op.accept(i);
            }
            double us = (CPU.getCurrentThreadCpuTime() - start) / 1000.0 / n;
            samples.add(us);
            return us;
        }

        double median() {
            double[] s = samples.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }
}
