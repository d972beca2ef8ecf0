package cn.antifraud.gateway.app;

import cn.antifraud.gateway.app.auth.TokenAuthenticator;
import cn.antifraud.gateway.app.config.ConfigException;
import cn.antifraud.gateway.app.config.GatewayConfig;
import cn.antifraud.gateway.app.config.GatewayConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar gateway.jar [--config FILE]}: loads the config (default {@code config/gateway.yaml}),
 * starts the gateway, logs one line saying it is ready (the last line of startup), and runs until
 * SIGTERM or SIGINT, then shuts down cleanly and exits 0. SIGHUP reloads the number lists and what
 * else registered in {@link Reloadables}, without a restart. A bad config exits with status 2 and one
 * line naming the file, line and key; any other startup failure exits with 1.
 */
public final class GatewayMain {
    // Before the logger and everything else: the common pool's size is fixed at its first use (CommonPoolSize).
    private static final int COMMON_POOL_PARALLELISM = CommonPoolSize.atLeastTwo();
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);
    static final String DEFAULT_CONFIG = "config/gateway.yaml";

    private GatewayMain() {
    }

    public static void main(String[] args) {
        Path configFile;
        try {
            configFile = configFile(args);
        } catch (IllegalArgumentException e) {
            System.err.println("gateway: " + e.getMessage());
            System.err.println("usage: gateway [--config FILE]   (default " + DEFAULT_CONFIG + ")");
            System.exit(2);
            return;
        }
        GatewayConfig config;
        try {
            config = new GatewayConfigLoader(System::getenv).load(configFile);
        } catch (ConfigException e) {
            LOG.error("bad config: {}", e.getMessage());
            System.err.println("gateway: bad config: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("starting node {} with {} (data in {})", config.node().id(), configFile, config.node().dataDir().toAbsolutePath());
        LOG.debug("common fork-join pool: {} threads", COMMON_POOL_PARALLELISM);
        Gateway gateway;
        try {
            gateway = Gateway.start(config, System.getenv(TokenAuthenticator.BOOTSTRAP_ENV), Clock.systemUTC());
        } catch (Exception e) {
            // Exception, not RuntimeException: Netty rethrows a bind failure (java.net.BindException, a
            // checked exception) without declaring it. Without this catch the main thread died, Hazelcast's
            // threads kept the JVM up, and the node looked alive with no admin API and no ready line.
            LOG.error("startup failed: {}", e.toString(), e);
            System.err.println("gateway: startup failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        run(gateway, config.node().id(), "admin API http://" + config.admin().host() + ":" + gateway.adminPort() + "/health");
    }

    /**
     * Runs a started gateway until SIGTERM or SIGINT, then closes it and exits 0; reloads on SIGHUP.
     * The shutdown hook stays for every other way the JVM can end (another signal, an exit elsewhere).
     */
    private static void run(Gateway gateway, String nodeId, String where) {
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeOnce = () -> {
            if (closed.compareAndSet(false, true)) {
                gateway.close();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!closed.get()) {
                LOG.info("JVM shutting down: stopping the gateway");
            }
            closeOnce.run();
        }, "shutdown"));

        BlockingQueue<String> stopSignal = new ArrayBlockingQueue<>(1);
        ProcessSignals.on("TERM", stopSignal::offer);
        ProcessSignals.on("INT", stopSignal::offer);
        // One reload at a time, off the JVM's signal thread: a reload reads files and writes the registry.
        ExecutorService reloader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reload");
            t.setDaemon(true);
            return t;
        });
        ProcessSignals.on("HUP", name -> reloader.execute(() -> {
            LOG.info("SIGHUP: reloading {}", gateway.reloadables().names());
            gateway.reloadables().reloadAll();
        }));

        // The last line of startup, and the only one that says ready: scripts and operators wait for it.
        LOG.info("gateway {} ready: {}", nodeId, where);
        String signal;
        try {
            signal = stopSignal.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            signal = "interrupt";
        }
        LOG.info("SIG{} received: shutting down", signal);
        reloader.shutdownNow();
        closeOnce.run();
        System.exit(0);
    }

    static Path configFile(String[] args) {
        Path file = Path.of(DEFAULT_CONFIG);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        return file;
    }
}
