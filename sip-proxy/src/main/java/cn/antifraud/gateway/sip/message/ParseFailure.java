package cn.antifraud.gateway.sip.message;

import java.util.List;
import java.util.Objects;

/**
 * A message that could not be parsed, as a value (the way Netty's {@code DecoderResult} reports a
 * failure): what is wrong, the status a request deserves (400 Bad Request or 513 Message Too Large,
 * RFC 3261 §21.4.1, §21.5.14), and the raw Via, From, To, Call-ID and CSeq lines that could be
 * salvaged so that the answer reaches the sender (RFC 3261 §8.2.6.2).
 *
 * @param status        400 or 513
 * @param reason        what is wrong, fit for a reason phrase
 * @param request       true when the start line did not look like a status line
 * @param salvagedLines raw header lines (without line breaks) usable in a response
 * @param method        the request line's method when it starts with a token and a space, else null;
 *                      an ACK is never answered (RFC 3261 §17), whatever its CSeq says
 */
public record ParseFailure(int status, String reason, boolean request, List<byte[]> salvagedLines, String method) {

    public ParseFailure {
        Objects.requireNonNull(reason, "reason");
        salvagedLines = List.copyOf(salvagedLines);
    }
}
