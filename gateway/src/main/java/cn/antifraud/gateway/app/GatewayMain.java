package cn.antifraud.gateway.app;

import cn.antifraud.gateway.app.auth.TokenAuthenticator;
import cn.antifraud.gateway.app.config.ConfigException;
import cn.antifraud.gateway.app.config.GatewayConfig;
import cn.antifraud.gateway.app.config.GatewayConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar gateway.jar [--config FILE]}: loads the config (default {@code config/gateway.yaml}),
 * starts the gateway and runs until SIGTERM or SIGINT, then shuts down cleanly. A bad config exits
 * with status 2 and one line naming the file, line and key; any other startup failure exits with 1.
 */
public final class GatewayMain {
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
        Gateway gateway;
        try {
            gateway = Gateway.start(config, System.getenv(TokenAuthenticator.BOOTSTRAP_ENV), Clock.systemUTC());
        } catch (RuntimeException e) {
            LOG.error("startup failed: {}", e.toString(), e);
            System.err.println("gateway: startup failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutdown requested");
            gateway.close();
            stopped.countDown();
        }, "shutdown"));
        LOG.info("gateway {} ready: admin API http://{}:{}/health", config.node().id(), config.admin().host(), gateway.adminPort());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
