/**
 * Transports of the proxy. UDP by default: {@link cn.antifraud.gateway.sip.transport.BlockingUdpListener},
 * worker threads blocked in {@code recvfrom(2)} (Kamailio's model), each datagram carried through
 * {@link cn.antifraud.gateway.sip.transport.DatagramProxyDispatch}. Netty: {@link cn.antifraud.gateway.sip.transport.DatagramSipDecoder} (one
 * datagram, one message), {@link cn.antifraud.gateway.sip.transport.StreamSipFramer} (TCP framing by
 * Content-Length with size limits), the shared {@link cn.antifraud.gateway.sip.transport.SipProxyHandler}
 * and the senders. Decoders copy bytes out of Netty buffers at once and emit failures as values, so no
 * buffer outlives a read and no decoder throws.
 */
package cn.antifraud.gateway.sip.transport;
