package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.SipTransport;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** What the transport layer must do with one inbound message; the proxy core itself never does I/O. */
public sealed interface ProxyAction {

    /**
     * Send bytes. {@code toSource} marks a response of the proxy's own to the request's sender: over
     * TCP it goes back on the connection the request came on (RFC 3261 §18.2.2).
     */
    record Send(SipTransport transport, InetSocketAddress destination, byte[] bytes, boolean toSource) implements ProxyAction {
        public Send {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** Nothing to send; {@code reason} is a short constant used as a metric tag. */
    record Drop(String reason) implements ProxyAction {
        public Drop {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The action once something asynchronous (the durable contact event) has completed. */
    record Deferred(CompletionStage<ProxyAction> action) implements ProxyAction {
        public Deferred {
            Objects.requireNonNull(action, "action");
        }
    }
}
