package cn.antifraud.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.sip.support.Fixtures;
import cn.antifraud.gateway.sip.support.ParanoidLeakDetection;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 100,000 mutations of real messages through the UDP decoder and the proxy handler: nothing is
 * thrown out of the pipeline, the channel stays open, every inbound buffer is released, the proxy
 * never fails internally, and a good message afterwards is still proxied. Seeded, so a failure
 * reproduces.
 */
@ExtendWith(ParanoidLeakDetection.class)
class MutatedMessageFuzzTest {
    private static final int MESSAGES = 100_000;
    private static final byte[] SPECIALS = " \t\r\n:;,\"<>\\%=@/\u0000\u00ff0123456789-".getBytes(StandardCharsets.ISO_8859_1);
    private static final InetSocketAddress[] SOURCES = {ProxyHarness.POLICE, ProxyHarness.UNTRUSTED, ProxyHarness.CORE, ProxyHarness.UAS};

    @Test
    void mutatedMessagesNeverBreakTheProxy() {
        List<byte[]> seeds = seeds();
        SplittableRandom random = new SplittableRandom(20261122L);
        try (ProxyHarness h = new ProxyHarness()) {
            int answered = 0;
            for (int i = 0; i < MESSAGES; i++) {
                byte[] mutated = mutate(seeds.get(random.nextInt(seeds.size())), random);
                ByteBuf content = Unpooled.wrappedBuffer(mutated);
                h.channel.writeInbound(new DatagramPacket(content, new InetSocketAddress("127.0.0.1", 5060),
                        SOURCES[random.nextInt(SOURCES.length)]));
                h.channel.runPendingTasks();
                h.channel.checkException();
                // An empty datagram wraps Unpooled.EMPTY_BUFFER, which is never freed.
                assertEquals(mutated.length == 0 ? 1 : 0, content.refCnt(), "inbound datagram released, message " + i);
                for (ProxyHarness.Sent s; (s = h.sent()) != null; ) {
                    answered++;
                }
            }
            assertTrue(h.channel.isOpen(), "the listener is never closed");
            assertEquals(0.0, h.counter("sip.dropped", "reason", "internal_error"), "the proxy never failed internally");
            assertTrue(h.counter("sip.parse.errors", "kind", "request") > 1000, "the mutations did produce bad requests");
            assertTrue(answered > 1000, "and many were answered or forwarded");

            h.receive(Fixtures.bytes("invite-police.sip"), ProxyHarness.POLICE);
            ProxyHarness.Sent good = h.sent();
            assertEquals(ProxyHarness.UAS, good.to());
            assertTrue(good.text().contains("/cards/+8612381>;purpose=jcard"), "a good message still works");
        }
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : List.of("invite-transparency.sip", "invite-police.sip", "invite-spoof.sip", "response-180.sip",
                "options-ping.sip", "bye-in-dialog.sip", "invite-missing-callid.sip")) {
            seeds.add(Fixtures.bytes(f));
        }
        return seeds;
    }

    static byte[] mutate(byte[] seed, SplittableRandom r) {
        byte[] b = seed;
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> {
                    b = b.clone();
                    b[at] = (byte) r.nextInt(256);
                }
                case 1 -> b = insert(b, at, new byte[] {SPECIALS[r.nextInt(SPECIALS.length)]});
                case 2 -> b = delete(b, at, 1 + r.nextInt(Math.min(40, b.length - at)));
                case 3 -> b = Arrays.copyOf(b, at);
                case 4 -> {
                    int end = indexOf(b, (byte) '\n', at);
                    int start = lastIndexOf(b, (byte) '\n', at) + 1;
                    if (end > start) {
                        b = insert(b, end + 1, Arrays.copyOfRange(b, start, end + 1));
                    }
                }
                case 5 -> b = insert(b, at, "9999999999".getBytes(StandardCharsets.US_ASCII));
                default -> b = insert(b, at, ",\"<sip:x@[::1]>;;=\r\n ".substring(0, 1 + r.nextInt(20)).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, byte v, int from) {
        for (int i = Math.min(from, b.length - 1); i >= 0; i--) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
