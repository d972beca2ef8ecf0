package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.message.ParseResult;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.proxy.InboundSource;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * One datagram, one message (RFC 3261 §18.3). The bytes are copied out of the packet, which is
 * released at once, so nothing downstream can leak a buffer. Bare CRLF keep-alives (RFC 5626 §3.5.1)
 * are ignored; a datagram over the size limit becomes a 513 failure.
 */
public final class DatagramSipDecoder extends MessageToMessageDecoder<DatagramPacket> {
    private static final int SALVAGE_BYTES = 4096;

    private final SipMessageParser parser;
    private final int maxMessageBytes;

    public DatagramSipDecoder(SipMessageParser parser, int maxMessageBytes) {
        super(DatagramPacket.class);
        this.parser = parser;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        int n = content.readableBytes();
        if (isKeepAlive(content)) {
            return;
        }
        InboundSource source = new InboundSource(SipTransport.UDP, packet.sender());
        if (n > maxMessageBytes) {
            byte[] head = new byte[Math.min(n, SALVAGE_BYTES)];
            content.getBytes(content.readerIndex(), head);
            out.add(new SipInbound(ParseResult.failure(SipMessageParser.failure(head, 513,
                    "message larger than " + maxMessageBytes + " bytes")), source, false));
            return;
        }
        byte[] bytes = new byte[n];
        content.getBytes(content.readerIndex(), bytes);
        out.add(new SipInbound(parser.parse(bytes), source, false));
    }

    private static boolean isKeepAlive(ByteBuf content) {
        for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
            byte b = content.getByte(i);
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
