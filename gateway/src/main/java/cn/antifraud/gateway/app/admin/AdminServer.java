package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's HTTP/1.1 server on Netty: {@code HttpServerCodec}, the connection's timeouts
 * ({@link RequestTimeouts}), the streamed import, an aggregator for small JSON bodies (over the
 * limit: 413), and a handler that runs each request on its route's pool ({@link AdminPools}: health,
 * registry requests and imports apart). {@link #start()} binds; {@link #close()} stops accepting,
 * lets running requests finish for a moment, and releases the threads.
 *
 * <p>Meters: {@code admin.connections.cut{reason}} counts connections closed by a timeout
 * (read-timeout, request-timeout, idle-timeout).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final AdminApi api;
    private final Options options;
    private final AdminPools pools;
    private final ImportSlots importSlots;
    private final MeterRegistry meters;
    private final Map<String, Counter> cuts = new ConcurrentHashMap<>();
    private EventLoopGroup group;
    private Channel serverChannel;

    /**
     * Listener, pool and timeout settings.
     *
     * @param host               address to bind
     * @param port               port, 0 for any free one
     * @param maxBodyBytes       JSON body limit
     * @param maxImportBytes     CSV import body limit
     * @param workers            registry request threads
     * @param queue              registry requests that may wait for a thread
     * @param importWorkers      import threads (an import beyond them is refused with 503)
     * @param maxImportsPerToken concurrent imports one token may run (beyond: 429)
     * @param readTimeout        mid-request silence before 408
     * @param idleTimeout        kept-alive connection without a request before it is closed
     * @param requestTimeout     whole request (head and JSON body) before 408
     * @param importTimeout      whole streamed upload before 408
     */
    public record Options(String host, int port, int maxBodyBytes, long maxImportBytes, int workers, int queue,
                          int importWorkers, int maxImportsPerToken, Duration readTimeout, Duration idleTimeout,
                          Duration requestTimeout, Duration importTimeout) {
        public Options {
            requireNonNull(host, "host");
            requireNonNull(readTimeout, "readTimeout");
            requireNonNull(idleTimeout, "idleTimeout");
            requireNonNull(requestTimeout, "requestTimeout");
            requireNonNull(importTimeout, "importTimeout");
        }
    }

    public AdminServer(AdminApi api, Options options, MeterRegistry meters) {
        this.api = requireNonNull(api, "api");
        this.options = requireNonNull(options, "options");
        this.meters = requireNonNull(meters, "meters");
        this.pools = new AdminPools(options.workers(), options.queue(), options.importWorkers());
        this.importSlots = new ImportSlots(options.maxImportsPerToken());
    }

    /** Binds the listener; blocking until bound (and until the health probe's first report). */
    public void start() {
        api.awaitHealthReport();
        RequestTimeouts.Settings timeouts = new RequestTimeouts.Settings(options.readTimeout(), options.idleTimeout(),
                options.requestTimeout(), options.importTimeout());
        Predicate<HttpRequest> streamed = req -> {
            try {
                ApiRequest head = ApiRequest.of(req.method(), req.uri(), null, null, new byte[0]);
                return api.isStreamed(head.method(), head.path());
            } catch (ApiException e) {
                return false;
            }
        };
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RequestTimeouts clocks = new RequestTimeouts(timeouts, streamed, AdminServer.this::countCut);
                        ch.pipeline()
                                .addLast("bytes", clocks.byteWatcher())
                                .addLast("http", new HttpServerCodec())
                                .addLast("timeouts", clocks)
                                .addLast("stream", new StreamedRequestHandler(api, pools, importSlots, options.maxImportBytes()))
                                .addLast("aggregate", new JsonAggregator(options.maxBodyBytes()))
                                .addLast("api", new AdminRequestHandler(api, pools));
                    }
                });
        try {
            serverChannel = b.bind(options.host(), options.port()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("admin API cannot listen on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
        LOG.info("admin API listening on http://{}:{} ({} tokens)", options.host(), port(), api.tokens().size());
    }

    private void countCut(String reason) {
        cuts.computeIfAbsent(reason, r -> Counter.builder("admin.connections.cut").tag("reason", r)
                .description("admin connections closed by a timeout").register(meters)).increment();
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        pools.close();
        api.close();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        LOG.info("admin API stopped");
    }
}
