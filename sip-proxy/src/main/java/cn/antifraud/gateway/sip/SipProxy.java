package cn.antifraud.gateway.sip;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.CallerCardLookup;
import cn.antifraud.gateway.registry.ContactEventLog;
import cn.antifraud.gateway.registry.FraudNumberLookup;
import cn.antifraud.gateway.sip.message.SipMessageParser;
import cn.antifraud.gateway.sip.identity.CardDocument;
import cn.antifraud.gateway.sip.identity.IdentityMetrics;
import cn.antifraud.gateway.sip.identity.IdentitySigner;
import cn.antifraud.gateway.sip.identity.SigningMaterialHolder;
import cn.antifraud.gateway.sip.proxy.LocalEndpoint;
import cn.antifraud.gateway.sip.proxy.LocalEndpoints;
import cn.antifraud.gateway.sip.proxy.ProtectedNames;
import cn.antifraud.gateway.sip.proxy.ProxyMetrics;
import cn.antifraud.gateway.sip.proxy.StatelessProxy;
import cn.antifraud.gateway.sip.proxy.VerifiedCardCheck;
import cn.antifraud.gateway.sip.transport.BlockingUdpListener;
import cn.antifraud.gateway.sip.transport.DatagramProxyDispatch;
import cn.antifraud.gateway.sip.transport.DatagramSipDecoder;
import cn.antifraud.gateway.sip.transport.IdleConnectionCloser;
import cn.antifraud.gateway.sip.transport.NativeTransport;
import cn.antifraud.gateway.sip.transport.NettySipSender;
import cn.antifraud.gateway.sip.transport.SipProxyHandler;
import cn.antifraud.gateway.sip.transport.StreamSipFramer;
import cn.antifraud.gateway.sip.transport.TcpConnections;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SIP proxy of the gateway: a stateless RFC 3261 §16.11 proxy on UDP listeners (blocking worker
 * threads by default, {@link BlockingUdpListener}; or Netty channels) and Netty TCP listeners
 * that brands police warning calls with their 反诈名片, strips caller-ID branding from untrusted
 * peers, and reports calls with listed fraud numbers. See the package documentation for the design.
 *
 * <pre>{@code
 * SipProxy proxy = SipProxy.builder(config)
 *         .callerCards(registry).fraudNumbers(registry).contactEvents(eventLog)
 *         .meterRegistry(meters).build();
 * List<InetSocketAddress> bound = proxy.start();
 * ...
 * proxy.close();
 * }</pre>
 */
public final class SipProxy implements AutoCloseable {
    /** Kernel receive buffer of a UDP listener: absorbs bursts while a worker is busy (about 4,000 INVITEs). */
    private static final int UDP_RECEIVE_BUFFER = 4 * 1024 * 1024;
    private final SipProxyConfig config;
    private final CallerCardLookup callerCards;
    private final FraudNumberLookup fraudNumbers;
    private final ContactEventLog contactEvents;
    private final ProxyMetrics metrics;
    private final IdleConnectionCloser idleCloser;
    private final Clock clock;
    private final ProtectedNames protectedNames;
    private final VerifiedCardCheck verifiedCards;
    /** Signs the cards this proxy adds; null when identity signing is not configured. */
    private final IdentitySigner identitySigner;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<BlockingUdpListener> udpListeners = new ArrayList<>();
    private EventLoopGroup group;
    private NativeTransport transport;
    private volatile SipProxyHandler handler;

    private SipProxy(Builder b) {
        this.config = b.config;
        this.callerCards = requireNonNull(b.callerCards, "callerCards");
        this.fraudNumbers = requireNonNull(b.fraudNumbers, "fraudNumbers");
        this.contactEvents = requireNonNull(b.contactEvents, "contactEvents");
        this.metrics = new ProxyMetrics(requireNonNull(b.meterRegistry, "meterRegistry"));
        this.idleCloser = new IdleConnectionCloser(metrics);
        this.clock = b.clock;
        this.protectedNames = new ProtectedNames(config.protectedTerms());
        this.verifiedCards = b.verifiedCards;
        this.identitySigner = b.signingKeys == null ? null
                : new IdentitySigner(b.signingKeys, b.cardDocument, new IdentityMetrics(b.meterRegistry));
    }

    /**
     * Protects the registry's card names and agencies from imitation by unbranded display names
     * ({@link ProtectedNames#registeredNames}); replaces the previous set. Thread-safe, any time,
     * before or after {@link #start()}; {@link RegisteredNamesRefresher} calls it on every change.
     *
     * @return how many distinct names are protected now, configured terms included
     */
    public int protectRegisteredNames(java.util.Collection<String> names) {
        return protectedNames.registeredNames(names);
    }

    public static Builder builder(SipProxyConfig config) {
        return new Builder(config);
    }

    /**
     * Binds every configured listener and starts proxying. Blocks the calling thread (never an event
     * loop) until the sockets are bound.
     *
     * @return the bound addresses, in listener order (ports resolved when configured as 0)
     * @throws IllegalStateException when a listener cannot bind, naming it
     */
    public synchronized List<InetSocketAddress> start() {
        if (group != null) {
            throw new IllegalStateException("SIP proxy already started");
        }
        transport = NativeTransport.best();
        group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("sip-io"), transport.ioHandlerFactory());
        SipLimits limits = config.limits();
        SipMessageParser parser = new SipMessageParser(limits.maxHeaders(), limits.maxLineLength());
        TcpConnections tcp = new TcpConnections(this::initStream, metrics, transport.socketChannel());
        NettySipSender sender = new NettySipSender(tcp, metrics);
        List<InetSocketAddress> bound = new ArrayList<>();
        List<LocalEndpoint> endpoints = new ArrayList<>();
        boolean udpWorkers = config.udp().receive() == UdpSettings.UdpReceive.WORKERS;
        List<Channel> nettyUdp = new ArrayList<>();
        try {
            for (SipListener l : config.listeners()) {
                InetSocketAddress address;
                if (l.transport() == SipTransport.UDP && udpWorkers) {
                    BlockingUdpListener u = bindUdpWorkers(l);
                    udpListeners.add(u);
                    address = u.localAddress();
                } else {
                    Channel ch = l.transport() == SipTransport.UDP ? bindUdp(l, parser, limits) : bindTcp(l, tcp);
                    listeners.add(ch);
                    if (l.transport() == SipTransport.UDP) {
                        nettyUdp.add(ch);
                    }
                    address = (InetSocketAddress) ch.localAddress();
                }
                bound.add(address);
                endpoints.add(new LocalEndpoint(l.transport(), l.advertisedHost(), address.getPort()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        StatelessProxy proxy = new StatelessProxy(config, new LocalEndpoints(endpoints), callerCards, fraudNumbers,
                contactEvents, metrics, clock, protectedNames, verifiedCards, identitySigner);
        handler = new SipProxyHandler(proxy, sender);
        for (BlockingUdpListener u : udpListeners) {
            u.start(new DatagramProxyDispatch(proxy, parser, limits.maxMessageBytes(), tcp, group, u), udpBufferBytes(limits));
        }
        for (Channel ch : nettyUdp) {
            ch.pipeline().addLast("proxy", handler);
        }
        // Requests that came in over TCP and leave over UDP use the first UDP listener.
        if (!udpListeners.isEmpty()) {
            sender.udpEgress(udpListeners.get(0));
        } else if (!nettyUdp.isEmpty()) {
            sender.udpEgress(NettySipSender.egressOf(nettyUdp.get(0)));
        }
        return List.copyOf(bound);
    }

    /** Datagrams are read whole: a buffer smaller than the datagram would truncate it silently. */
    private static int udpBufferBytes(SipLimits limits) {
        return Math.min(65_536, limits.maxMessageBytes() + 1);
    }

    private BlockingUdpListener bindUdpWorkers(SipListener l) {
        try {
            return BlockingUdpListener.bind(l.address(), l.port(), config.udp().workers(), UDP_RECEIVE_BUFFER, metrics);
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("cannot bind SIP UDP listener " + l.address() + ":" + l.port()
                    + ": " + e.getMessage(), e);
        }
    }

    private Channel bindUdp(SipListener l, SipMessageParser parser, SipLimits limits) {
        int buffer = udpBufferBytes(limits);
        Bootstrap b = new Bootstrap().group(group).channel(transport.datagramChannel())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(buffer))
                .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast("decoder", new DatagramSipDecoder(parser, limits.maxMessageBytes()));
                    }
                });
        return bind(l, b.bind(l.address(), l.port()));
    }

    private Channel bindTcp(SipListener l, TcpConnections tcp) {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(transport.serverSocketChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (handler == null) {
                            ch.close();
                            return;
                        }
                        tcp.register(ch);
                        initStream(ch);
                    }
                });
        return bind(l, b.bind(l.address(), l.port()));
    }

    private void initStream(SocketChannel ch) {
        SipLimits limits = config.limits();
        TcpSettings tcp = config.tcp();
        // Messages for a connection whose peer stopped reading are dropped once this much is queued
        // (TcpConnections and NettySipSender check isWritable), instead of growing without bound.
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(tcp.writeBufferBytes() / 2, tcp.writeBufferBytes()));
        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, tcp.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("idle-close", idleCloser);
        ch.pipeline().addLast("framer", new StreamSipFramer(
                new SipMessageParser(limits.maxHeaders(), limits.maxLineLength()), limits.maxMessageBytes(), metrics));
        ch.pipeline().addLast("proxy", handler);
    }

    private static Channel bind(SipListener l, io.netty.channel.ChannelFuture f) {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IllegalStateException("cannot bind SIP " + l.transport() + " listener " + l.address() + ":" + l.port()
                    + ": " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    /** Closes every listener and connection and stops the event loops. */
    @Override
    public synchronized void close() {
        for (Channel ch : listeners) {
            ch.close().awaitUninterruptibly();
        }
        listeners.clear();
        for (BlockingUdpListener u : udpListeners) {
            u.close();
        }
        udpListeners.clear();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    /** Builds a {@link SipProxy}; every collaborator is required except the clock. */
    public static final class Builder {
        private final SipProxyConfig config;
        private CallerCardLookup callerCards;
        private FraudNumberLookup fraudNumbers;
        private ContactEventLog contactEvents;
        private MeterRegistry meterRegistry;
        private Clock clock = Clock.systemUTC();
        private VerifiedCardCheck verifiedCards = VerifiedCardCheck.NONE;
        private SigningMaterialHolder signingKeys;
        private CardDocument cardDocument;

        private Builder(SipProxyConfig config) {
            this.config = requireNonNull(config, "config");
        }

        public Builder callerCards(CallerCardLookup lookup) {
            this.callerCards = requireNonNull(lookup, "callerCards");
            return this;
        }

        public Builder fraudNumbers(FraudNumberLookup lookup) {
            this.fraudNumbers = requireNonNull(lookup, "fraudNumbers");
            return this;
        }

        public Builder contactEvents(ContactEventLog log) {
            this.contactEvents = requireNonNull(log, "contactEvents");
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = requireNonNull(registry, "meterRegistry");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Which unbranded INVITEs keep their card because a verified signature covers it (RFC 8224 +
         * RFC 9795); default {@link VerifiedCardCheck#NONE}: every card the gateway did not add is stripped.
         */
        public Builder verifiedCards(VerifiedCardCheck check) {
            this.verifiedCards = requireNonNull(check, "verifiedCards");
            return this;
        }

        /**
         * Signs every card the proxy adds (RFC 8224 Identity, RFC 9795 rcd PASSporT) with the key in
         * {@code keys}; {@code cards} gives the bytes the card URL serves, for the rcdi digest.
         */
        public Builder identitySigning(SigningMaterialHolder keys, CardDocument cards) {
            this.signingKeys = requireNonNull(keys, "keys");
            this.cardDocument = requireNonNull(cards, "cards");
            return this;
        }

        public SipProxy build() {
            return new SipProxy(this);
        }
    }
}
