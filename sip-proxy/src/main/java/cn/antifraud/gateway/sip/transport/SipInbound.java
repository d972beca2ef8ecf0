package cn.antifraud.gateway.sip.transport;

import cn.antifraud.gateway.sip.message.ParseResult;
import cn.antifraud.gateway.sip.proxy.InboundSource;
import java.util.Objects;

/**
 * One decoded message (or decoding failure) with where it came from, as the decoders emit it.
 *
 * @param result        the parsed message or the failure
 * @param source        transport and sender
 * @param closeAfter    true when the stream cannot be framed any further: answer, then close
 */
public record SipInbound(ParseResult result, InboundSource source, boolean closeAfter) {
    public SipInbound {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(source, "source");
    }
}
