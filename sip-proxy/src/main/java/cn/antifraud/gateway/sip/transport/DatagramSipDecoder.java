package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.SipTransport;
import cn.antifraud.gateway.sip.message.ParseResult;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.proxy.InboundSource;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.net.InetSocketAddress;
import java.util.Arrays;
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
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        SipInbound inbound = decode(bytes, packet.sender(), parser, maxMessageBytes);
        if (inbound != null) {
            out.add(inbound);
        }
    }

    /**
     * One datagram's bytes as a {@link SipInbound}, or null for a keep-alive. Shared with the
     * blocking UDP workers ({@link BlockingUdpListener}), so both receive paths judge a datagram alike.
     */
    static SipInbound decode(byte[] datagram, InetSocketAddress sender, SipMessageParser parser, int maxMessageBytes) {
        if (isKeepAlive(datagram)) {
            return null;
        }
        InboundSource source = new InboundSource(SipTransport.UDP, sender);
        if (datagram.length > maxMessageBytes) {
            byte[] head = Arrays.copyOf(datagram, Math.min(datagram.length, SALVAGE_BYTES));
            return new SipInbound(ParseResult.failure(SipMessageParser.failure(head, 513,
                    "message larger than " + maxMessageBytes + " bytes")), source, false);
        }
        return new SipInbound(parser.parse(datagram), source, false);
    }

    private static boolean isKeepAlive(byte[] datagram) {
        for (byte b : datagram) {
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
