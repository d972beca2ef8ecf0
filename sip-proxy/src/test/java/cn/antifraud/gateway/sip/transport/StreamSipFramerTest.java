package cn.antifraud.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.sip.SipLimits;
import cn.antifraud.gateway.sip.SipProxyConfig;
import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.proxy.LocalEndpoint;
import cn.antifraud.gateway.sip.proxy.LocalEndpoints;
import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import cn.antifraud.gateway.sip.proxy.StatelessProxy;
import cn.antifraud.gateway.sip.support.Fixtures;
import cn.antifraud.gateway.sip.support.InMemoryCallerCards;
import cn.antifraud.gateway.sip.support.InMemoryContactEventLog;
import cn.antifraud.gateway.sip.support.InMemoryFraudNumbers;
import cn.antifraud.gateway.sip.support.ParanoidLeakDetection;
import cn.antifraud.gateway.sip.support.ProxyHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The TCP framer ({@link StreamSipFramer}, RFC 3261 section 18.3: Content-Length frames a message on a
 * stream) fed split at every fragment size, and fed mutated streams. The tests that exercise error
 * paths and mutations run under paranoid leak detection; the every-fragment-size run checks its own
 * buffers instead (each fragment released once the channel is finished), because paranoid tracking
 * records a stack trace per byte the framer scans and made that run take minutes on a busy machine.
 */
class StreamSipFramerTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("10.1.1.5", 40000);

    @Test
    void framesTheSameMessagesWhateverTheFragmentSize() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(Fixtures.bytes("invite-police.sip"));
        stream.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // RFC 5626 keep-alive between messages
        stream.writeBytes(Fixtures.bytes("options-ping.sip"));
        stream.writeBytes(Fixtures.replace("invite-transparency.sip", "transparency-1", "transparency-2"));
        byte[] all = stream.toByteArray();

        List<byte[]> whole = run(all, all.length, SipLimits.defaults());
        assertEquals(3, whole.size(), "INVITE and INVITE forwarded, OPTIONS answered");
        assertTrue(new String(whole.get(1), StandardCharsets.UTF_8).startsWith("SIP/2.0 200 OK\r\n"));
        assertTrue(new String(whole.get(2), StandardCharsets.UTF_8).contains("i: transparency-2@127.0.0.1\r\n"));
        assertTrue(new String(whole.get(2), StandardCharsets.UTF_8).endsWith("a=rtpmap:0 PCMU/8000\r\n"), "body framed by l:");
        for (int size = 1; size < all.length; size++) {
            List<byte[]> split = run(all, size, SipLimits.defaults());
            assertEquals(whole.size(), split.size(), "fragment size " + size);
            for (int i = 0; i < whole.size(); i++) {
                assertArrayEquals(whole.get(i), split.get(i), "fragment size " + size + ", message " + i);
            }
        }
    }

    @Test
    @ExtendWith(ParanoidLeakDetection.class)
    void streamWithoutContentLengthIsAnswered400AndClosed() {
        byte[] noLength = Fixtures.replace("invite-police.sip", "Content-Length: 0\r\n", "");
        Result r = runOnce(noLength, SipLimits.defaults());
        assertEquals(1, r.out.size());
        assertTrue(new String(r.out.get(0), StandardCharsets.UTF_8)
                .startsWith("SIP/2.0 400 Bad Request (missing Content-Length on a stream transport)\r\n"));
        assertFalse(r.open, "an unframeable stream is closed");
        assertEquals(1.0, r.meters.find("sip.parse.errors").tag("kind", "stream").counter().count());
    }

    @Test
    @ExtendWith(ParanoidLeakDetection.class)
    void messageOverTheSizeLimitIsAnswered513AndClosed() {
        byte[] big = Fixtures.replace("invite-police.sip", "Content-Length: 0", "Content-Length: 5000");
        Result r = runOnce(big, new SipLimits(1024, 64, 512));
        assertTrue(new String(r.out.get(0), StandardCharsets.UTF_8).startsWith("SIP/2.0 513 Message Too Large (message larger than 1024 bytes)\r\n"));
        assertFalse(r.open);
    }

    @Test
    @ExtendWith(ParanoidLeakDetection.class)
    void headerSectionThatNeverEndsIsAnswered513AndClosed() {
        StringBuilder s = new StringBuilder(new String(Fixtures.bytes("invite-police.sip"), StandardCharsets.UTF_8).replace("\r\n\r\n", "\r\n"));
        while (s.length() < 2000) {
            s.append("X-Padding: ").append("x".repeat(100)).append("\r\n");
        }
        Result r = runOnce(s.toString().getBytes(StandardCharsets.UTF_8), new SipLimits(1024, 64, 512));
        assertTrue(new String(r.out.get(0), StandardCharsets.UTF_8).startsWith("SIP/2.0 513 Message Too Large (header section larger than 1024 bytes)"));
        assertFalse(r.open);
    }

    @Test
    @ExtendWith(ParanoidLeakDetection.class)
    void mutatedStreamsNeverThrowNeverLeakAndAGoodStreamStillWorks() {
        List<byte[]> seeds = List.of(Fixtures.bytes("invite-police.sip"), Fixtures.bytes("options-ping.sip"),
                Fixtures.bytes("invite-transparency.sip"), Fixtures.bytes("response-180.sip"));
        java.util.SplittableRandom random = new java.util.SplittableRandom(5060L);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EmbeddedChannel ch = channel(SipLimits.defaults(), meters);
        int closed = 0;
        List<ByteBuf> fed = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] mutated = MutatedMessageFuzzTest.mutate(seeds.get(random.nextInt(seeds.size())), random);
            ByteBuf in = Unpooled.wrappedBuffer(mutated);
            ch.writeInbound(in);
            ch.runPendingTasks();
            ch.checkException();
            if (mutated.length > 0) {
                fed.add(in);
            }
            drain(ch);
            if (!ch.isOpen()) {
                closed++;
                ch.finishAndReleaseAll();
                assertAllReleased(fed);
                ch = channel(SipLimits.defaults(), meters);
            }
        }
        assertTrue(closed > 0, "some mutations made the stream unframeable");
        assertEquals(null, meters.find("sip.dropped").tag("reason", "internal_error").counter());
        ch.finishAndReleaseAll();
        assertAllReleased(fed);
        ch = channel(SipLimits.defaults(), meters);
        ch.writeInbound(Unpooled.wrappedBuffer(Fixtures.bytes("options-ping.sip")));
        ch.runPendingTasks();
        List<byte[]> out = drain(ch);
        assertTrue(new String(out.get(0), StandardCharsets.UTF_8).startsWith("SIP/2.0 200 OK\r\n"));
        ch.finishAndReleaseAll();
    }

    /** The framer may hold a partial message across reads; once its channel is finished, nothing may remain. */
    private static void assertAllReleased(List<ByteBuf> fed) {
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "every chunk released once the channel is finished");
        }
        fed.clear();
    }

    private record Result(List<byte[]> out, boolean open, SimpleMeterRegistry meters) {
    }

    private static Result runOnce(byte[] bytes, SipLimits limits) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EmbeddedChannel ch = channel(limits, meters);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        ch.runPendingTasks();
        List<byte[]> out = drain(ch);
        boolean open = ch.isOpen();
        ch.finishAndReleaseAll();
        return new Result(out, open, meters);
    }

    private static List<byte[]> run(byte[] all, int fragment, SipLimits limits) {
        EmbeddedChannel ch = channel(limits, new SimpleMeterRegistry());
        List<ByteBuf> fed = new ArrayList<>();
        for (int i = 0; i < all.length; i += fragment) {
            ByteBuf piece = Unpooled.wrappedBuffer(all, i, Math.min(fragment, all.length - i));
            fed.add(piece);
            ch.writeInbound(piece);
        }
        ch.runPendingTasks();
        ch.checkException();
        List<byte[]> out = drain(ch);
        assertTrue(ch.isOpen());
        assertFalse(ch.finishAndReleaseAll());
        assertAllReleased(fed);
        return out;
    }

    private static List<byte[]> drain(EmbeddedChannel ch) {
        List<byte[]> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof DatagramPacket p) {
                out.add(ByteBufUtil.getBytes(p.content()));
                p.release();
            } else {
                ByteBuf b = (ByteBuf) o;
                if (b.isReadable()) {
                    out.add(ByteBufUtil.getBytes(b));
                }
                b.release();
            }
        }
        return out;
    }

    private static EmbeddedChannel channel(SipLimits limits, SimpleMeterRegistry meters) {
        SipProxyConfig config = ProxyHarness.baseConfig().limits(limits).build();
        ProxyMetrics metrics = new ProxyMetrics(meters);
        StatelessProxy proxy = new StatelessProxy(config, new LocalEndpoints(List.of(
                new LocalEndpoint(SipTransport.UDP, "127.0.0.1", 5060),
                new LocalEndpoint(SipTransport.TCP, "127.0.0.1", 5060))),
                new InMemoryCallerCards().put(ProxyHarness.policeCard("+8612381", "国家反诈中心", "请接听")),
                new InMemoryFraudNumbers(), new InMemoryContactEventLog(), metrics, Clock.fixed(ProxyHarness.NOW, ZoneOffset.UTC));
        SipMessageParser parser = new SipMessageParser(limits.maxHeaders(), limits.maxLineLength());
        return new EmbeddedChannel(new StreamSipFramer(parser, limits.maxMessageBytes(), metrics),
                new SipProxyHandler(proxy, new NettySipSender(null, metrics))) {
            @Override
            protected SocketAddress remoteAddress0() {
                return PEER;
            }
        };
    }
}
