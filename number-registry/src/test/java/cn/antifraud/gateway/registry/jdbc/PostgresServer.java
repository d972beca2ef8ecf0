package cn.antifraud.gateway.registry.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real PostgreSQL for tests. The server is, in order: the one named by the system property
 * {@value #URL_PROPERTY} or the environment variable {@value #URL_ENV} (a JDBC URL of any database
 * on it, with a user allowed to create databases), or one this extension starts with
 * {@code scripts/postgres-test-server.sh start} and stops after the last test. Each test class asks
 * for fresh databases with {@link #newDatabase()}, so tests never see each other's rows.
 *
 * <p>When no server can be had the tests fail, naming the cause: a missing real peer never turns
 * into a skipped, green run. {@code bin/test} installs PostgreSQL ({@code scripts/install-test-deps.sh}),
 * so it is always there.
 */
public final class PostgresServer implements ExecutionCondition, ParameterResolver {

    public static final String URL_PROPERTY = "registry.test.postgres.url";
    public static final String URL_ENV = "REGISTRY_TEST_POSTGRES_URL";
    private static final String SCRIPT = "scripts/postgres-test-server.sh";

    private final String adminUrl;

    private PostgresServer(String adminUrl) {
        this.adminUrl = adminUrl;
    }

    /** Extension entry point: JUnit builds one per test class and resolves {@code PostgresServer} parameters. */
    public PostgresServer() {
        this.adminUrl = null;
    }

    /**
     * Finds or starts the server before any test of the class; without one the class fails, and the
     * exception names the cause.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return ConditionEvaluationResult.enabled("PostgreSQL at " + server(context).adminUrl);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    private static PostgresServer server(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(PostgresServer.class));
        return store.getOrComputeIfAbsent("server", k -> Started.find(), Started.class).server;
    }

    /** A new empty database on the server, as a JDBC config; dropped by nothing (the server is throwaway). */
    public DatabaseConfig.Builder newDatabase() {
        String name = "registry_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + adminUrl + ": " + e.getMessage(), e);
        }
        return DatabaseConfig.builder(withDatabase(adminUrl, name));
    }

    static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    /** The server for the whole test run; stops it at the end when this run started it. */
    private static final class Started implements ExtensionContext.Store.CloseableResource {
        final PostgresServer server;
        private final Path script;

        private Started(String url, Path script) {
            this.server = new PostgresServer(url);
            this.script = script;
        }

        static Started find() {
            String given = System.getProperty(URL_PROPERTY, System.getenv(URL_ENV));
            if (given != null && !given.isBlank()) {
                return new Started(given.strip(), null);
            }
            Path script = locateScript();
            if (script == null) {
                return unavailable("cannot find " + SCRIPT + " above " + Path.of("").toAbsolutePath());
            }
            try {
                // A server someone else started (the benchmark, a developer) is used and left running.
                return new Started(run(script, "url"), null);
            } catch (IOException notRunning) {
                // fall through: start our own
            }
            try {
                return new Started(run(script, "start"), script);
            } catch (IOException e) {
                return unavailable(e.getMessage());
            }
        }

        @Override
        public void close() throws Throwable {
            if (script != null) {
                run(script, "stop");
            }
        }

        private static Path locateScript() {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                    return dir.resolve(SCRIPT);
                }
            }
            return null;
        }

        private static String run(Path script, String command) throws IOException {
            Process p = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroy();
                    throw new IOException(SCRIPT + " " + command + " failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(SCRIPT + " " + command + " interrupted", e);
            }
            String[] lines = out.split("\n");
            return lines[lines.length - 1];
        }

        private static Started unavailable(String why) {
            throw new IllegalStateException("PostgreSQL for the registry tests is not available: " + why
                    + ". Run scripts/install-test-deps.sh as root, or set -D" + URL_PROPERTY + "=jdbc:postgresql://...");
        }
    }
}
