package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.message.ParseResult;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.proxy.InboundSource;
import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Frames SIP messages on a byte stream by the empty line and Content-Length (RFC 3261 §18.3;
 * Content-Length is mandatory on streams, §20.14). CRLF keep-alives between messages are skipped
 * (RFC 5626 §3.5.1). When the stream cannot be framed (no Content-Length, a bad one, a header
 * section or message over the size limit), the framer emits one failure (400 or 513) marked
 * {@code closeAfter}, counts it, and ignores everything after: the handler answers and closes.
 */
public final class StreamSipFramer extends ByteToMessageDecoder {
    private static final int SALVAGE_BYTES = 4096;

    private final SipMessageParser parser;
    private final int maxMessageBytes;
    private final ProxyMetrics metrics;
    private boolean broken;

    public StreamSipFramer(SipMessageParser parser, int maxMessageBytes, ProxyMetrics metrics) {
        this.parser = parser;
        this.maxMessageBytes = maxMessageBytes;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
            in.skipBytes(1);
        }
        if (!in.isReadable()) {
            return;
        }
        InboundSource source = new InboundSource(SipTransport.TCP, remote(ctx));
        int start = in.readerIndex();
        int searchable = Math.min(in.readableBytes(), maxMessageBytes);
        int headerLength = headerSectionLength(in, start, searchable);
        if (headerLength < 0) {
            if (in.readableBytes() >= maxMessageBytes) {
                fail(in, source, out, 513, "header section larger than " + maxMessageBytes + " bytes");
            }
            return;
        }
        int contentLength = contentLength(in, start, headerLength);
        if (contentLength == -1) {
            fail(in, source, out, 400, "missing Content-Length on a stream transport");
            return;
        }
        if (contentLength == -2) {
            fail(in, source, out, 400, "malformed Content-Length");
            return;
        }
        long total = (long) headerLength + contentLength;
        if (total > maxMessageBytes) {
            fail(in, source, out, 513, "message larger than " + maxMessageBytes + " bytes");
            return;
        }
        if (in.readableBytes() < total) {
            return;
        }
        byte[] bytes = new byte[(int) total];
        in.readBytes(bytes);
        out.add(new SipInbound(parser.parse(bytes), source, false));
    }

    private void fail(ByteBuf in, InboundSource source, List<Object> out, int status, String reason) {
        broken = true;
        metrics.parseError("stream");
        byte[] head = new byte[Math.min(in.readableBytes(), SALVAGE_BYTES)];
        in.getBytes(in.readerIndex(), head);
        in.skipBytes(in.readableBytes());
        out.add(new SipInbound(ParseResult.failure(SipMessageParser.failure(head, status, reason)), source, true));
    }

    private static InetSocketAddress remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a : new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    /** Length up to and including the empty line (CRLFCRLF or LFLF), or -1 when not yet seen. */
    private static int headerSectionLength(ByteBuf in, int start, int searchable) {
        int end = start + searchable;
        for (int i = start; i < end; i++) {
            if (in.getByte(i) != '\n') {
                continue;
            }
            if (i + 1 < end && in.getByte(i + 1) == '\n') {
                return i + 2 - start;
            }
            if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                return i + 3 - start;
            }
        }
        return -1;
    }

    /** The Content-Length (long or compact form {@code l}), -1 when absent, -2 when malformed. */
    private static int contentLength(ByteBuf in, int start, int headerLength) {
        String head = in.toString(start, headerLength, StandardCharsets.ISO_8859_1);
        int value = -1;
        int pos = head.indexOf('\n') + 1;
        while (pos > 0 && pos < head.length()) {
            int eol = head.indexOf('\n', pos);
            if (eol < 0) {
                eol = head.length();
            }
            int colon = head.indexOf(':', pos);
            if (colon > pos && colon < eol) {
                String name = head.substring(pos, colon).trim();
                if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("l")) {
                    String v = head.substring(colon + 1, eol).trim();
                    if (value != -1 || v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        return -2;
                    }
                    value = Integer.parseInt(v);
                }
            }
            pos = eol + 1;
        }
        return value;
    }
}
