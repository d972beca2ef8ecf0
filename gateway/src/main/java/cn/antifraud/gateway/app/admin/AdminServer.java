package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.NumberRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's HTTP/1.1 server on Netty: {@code HttpServerCodec}, the streaming CSV import, an
 * aggregator for small JSON bodies (over the limit: 413), and a handler that runs every request on a
 * bounded worker pool. {@link #start()} binds; {@link #close()} stops accepting, lets running requests
 * finish for a moment, and releases the threads.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final AdminApi api;
    private final NumberRegistry registry;
    private final Options options;
    private final Clock clock;
    private final ThreadPoolExecutor workers;
    private EventLoopGroup group;
    private Channel serverChannel;

    /**
     * Listener and pool settings.
     *
     * @param host           address to bind
     * @param port           port, 0 for any free one
     * @param maxBodyBytes   JSON body limit
     * @param maxImportBytes CSV import body limit
     * @param workers        worker threads
     * @param queue          requests that may wait for a worker
     */
    public record Options(String host, int port, int maxBodyBytes, long maxImportBytes, int workers, int queue) {
        public Options {
            requireNonNull(host, "host");
        }
    }

    public AdminServer(AdminApi api, NumberRegistry registry, Options options, Clock clock) {
        this.api = requireNonNull(api, "api");
        this.registry = requireNonNull(registry, "registry");
        this.options = requireNonNull(options, "options");
        this.clock = requireNonNull(clock, "clock");
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(options.workers(), options.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.queue()), r -> {
                    Thread t = new Thread(r, "admin-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Binds the listener; blocking until bound. */
    public void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("http", new HttpServerCodec())
                                .addLast("import", new CsvImportHandler(api, registry, workers, options.maxImportBytes(), clock))
                                .addLast("aggregate", new JsonAggregator(options.maxBodyBytes()))
                                .addLast("api", new AdminRequestHandler(api, workers));
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

    /** The bound port (useful when configured as 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        LOG.info("admin API stopped");
    }
}
