package cn.antifraud.gateway.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.app.auth.Role;
import cn.antifraud.gateway.app.auth.TokenAuthenticator;
import cn.antifraud.gateway.app.auth.TokenEntry;
import cn.antifraud.gateway.app.health.ComponentHealth;
import cn.antifraud.gateway.app.health.HealthCheck;
import cn.antifraud.gateway.app.health.HealthService;
import cn.antifraud.gateway.app.metrics.GatewayMetrics;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few clients cannot freeze the admin API: slow clients trickling one byte a second, trickled
 * imports holding every import thread, and eight clients listing 1,000 fraud numbers in a loop
 * together do not stop {@code /health} from answering (that it answers at all is asserted; how fast
 * is measured by {@code loadtest/admin-isolation.sh}, not here). The trickles are then cut by the
 * request timeout, answered 408 and counted; a second import of the same token is 429.
 */
class AdminIsolationTest {
    private static final int SLOW_CLIENTS = 8;
    private static final int LISTERS = 8;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    private RealRegistry registry;
    private GatewayMetrics metrics;
    private AdminServer server;
    private HttpClient http;
    private final List<Socket> sockets = new ArrayList<>();
    private final ExecutorService clients = Executors.newCachedThreadPool();
    /** Counts down as each trickled upload has sent its head (the two with a fast part). */
    private final java.util.concurrent.CountDownLatch headsSent = new java.util.concurrent.CountDownLatch(2);

    @BeforeEach
    void start() {
        registry = new RealRegistry(dataDir);
        List<FraudNumber> rows = IntStream.range(0, 5_000).mapToObj(i -> new FraudNumber(
                PhoneNumbers.parse(String.format("139%08d", i)), FraudType.ROMANCE, "ISO-" + i, Instant.now(), null, false))
                .toList();
        registry.registry().importFraudNumbers(rows.iterator(), "test");
        metrics = new GatewayMetrics();
        HealthService health = new HealthService();
        health.register(HealthCheck.of("cluster", () -> ComponentHealth.up("1 member")));
        TokenAuthenticator tokens = new TokenAuthenticator(List.of(
                new TokenEntry("reader", Role.READER, TokenAuthenticator.sha256("reader")),
                new TokenEntry("importer-a", Role.REGISTRAR, TokenAuthenticator.sha256("importer-a")),
                new TokenEntry("importer-b", Role.REGISTRAR, TokenAuthenticator.sha256("importer-b")),
                new TokenEntry("importer-c", Role.REGISTRAR, TokenAuthenticator.sha256("importer-c"))));
        AdminApi api = AdminApi.builder(tokens, registry.registry(), registry.imports(), health, metrics, Clock.systemUTC())
                .build();
        // Two registry workers and two import threads: few enough that the load below fills them all.
        server = new AdminServer(api, new AdminServer.Options("127.0.0.1", 0, 4096, 1L << 30, 2, 4, 2, 1,
                Duration.ofSeconds(60), Duration.ofSeconds(120), REQUEST_TIMEOUT, REQUEST_TIMEOUT), metrics.registry());
        server.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() throws IOException {
        clients.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void slowClientsHeavyListingsAndTrickledImportsDoNotStopHealth() throws Exception {
        List<CompletableFuture<String>> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            slow.add(trickle("PUT /v1/fraud-numbers/1710000000" + i + " HTTP/1.1\r\nHost: t\r\n"
                    + "Authorization: Bearer importer-a\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n"
                    + "{\"fraudType\":\"romance\",\"caseReference\":\"never-finished\"}", 0));
        }
        // Both import threads held by uploads that trickle after their head.
        String importHead = "POST /v1/fraud-numbers:import HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\n"
                + "Content-Length: 100000\r\nAuthorization: Bearer ";
        String headEnd = "\r\n\r\n";
        CompletableFuture<String> importA = trickle(importHead + "importer-a" + headEnd + "17100000001,romance,T-1\n",
                (importHead + "importer-a" + headEnd).length());
        CompletableFuture<String> importB = trickle(importHead + "importer-b" + headEnd + "17100000002,romance,T-2\n",
                (importHead + "importer-b" + headEnd).length());

        AtomicBoolean listing = new AtomicBoolean(true);
        AtomicInteger pagesListed = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        List<CompletableFuture<Void>> listers = new ArrayList<>();
        for (int i = 0; i < LISTERS; i++) {
            listers.add(CompletableFuture.runAsync(() -> {
                while (listing.get()) {
                    int status = get("/v1/fraud-numbers?limit=1000", "reader").statusCode();
                    if (status == 200) {
                        pagesListed.incrementAndGet();
                    } else if (status == 503) {
                        busy.incrementAndGet();
                    }
                }
            }, clients));
        }

        waitUntil(() -> pagesListed.get() >= LISTERS, "the listers are running");
        // Probe the import slots only once both uploads have sent their heads (a probe must not take a slot first).
        assertTrue(headsSent.await(3, TimeUnit.MINUTES), "the trickled uploads sent their heads");
        waitUntil(() -> importsRunning() == 2, "both import threads are held by trickled uploads");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> health = get("/health", null);
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
            assertEquals(200, get("/metrics", null).statusCode());
        }
        assertTrue(slow.stream().noneMatch(CompletableFuture::isDone), "the slow clients are still trickling");

        // A second import of a token that runs one is refused at once; a third token finds no import thread.
        HttpResponse<String> sameToken = post("/v1/fraud-numbers:import", "importer-a", "17100000003,romance,T-3\n");
        assertEquals(429, sameToken.statusCode(), sameToken.body());
        HttpResponse<String> noThread = post("/v1/fraud-numbers:import", "importer-c", "17100000004,romance,T-4\n");
        assertEquals(503, noThread.statusCode(), noThread.body());

        listing.set(false);
        CompletableFuture.allOf(listers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        for (CompletableFuture<String> s : slow) {
            assertEquals("HTTP/1.1 408 Request Timeout", s.get(5, TimeUnit.MINUTES));
        }
        assertEquals("HTTP/1.1 408 Request Timeout", importA.get(5, TimeUnit.MINUTES));
        assertEquals("HTTP/1.1 408 Request Timeout", importB.get(5, TimeUnit.MINUTES));
        waitUntil(() -> cutCount("request-timeout") >= SLOW_CLIENTS + 2, "every trickle counted as cut");
        // The threads the trickled imports held are free again.
        waitUntil(() -> post("/v1/fraud-numbers:import", "importer-c", "17100000005,romance,T-5\n").statusCode() == 200,
                "an import runs once the trickles are cut");
    }

    /** Sends {@code request}: the first {@code fast} bytes at once, then one byte a second; completes with the status line. */
    private CompletableFuture<String> trickle(String request, int fast) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        sockets.add(s);
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(() -> {
            try {
                OutputStream out = s.getOutputStream();
                out.write(bytes, 0, fast);
                out.flush();
                if (fast > 0) {
                    headsSent.countDown();
                }
                for (int i = fast; i < bytes.length && s.getInputStream().available() == 0; i++) {
                    out.write(bytes[i]);
                    out.flush();
                    Thread.sleep(1_000);
                }
            } catch (IOException e) {
                // The server closed the connection after answering: read the answer below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            try {
                s.setSoTimeout(120_000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                return line == null ? "closed without an answer" : line;
            } catch (IOException e) {
                return "read failed: " + e;
            }
        }, clients);
    }

    private int importsRunning() {
        // Held import threads are visible as the 429 a second import of the same token gets.
        return (post("/v1/fraud-numbers:import", "importer-a", "x\n").statusCode() == 429 ? 1 : 0)
                + (post("/v1/fraud-numbers:import", "importer-b", "x\n").statusCode() == 429 ? 1 : 0);
    }

    private double cutCount(String reason) {
        Matcher m = Pattern.compile("admin_connections_cut_total\\{reason=\"" + reason + "\",?\\} (\\S+)")
                .matcher(get("/metrics", null).body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofMinutes(2));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.GET().build());
    }

    private HttpResponse<String> post(String path, String token, String csv) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv)).build());
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a condition, bounded only against hanging. */
    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached: " + what);
            }
            Thread.sleep(100);
        }
    }
}
