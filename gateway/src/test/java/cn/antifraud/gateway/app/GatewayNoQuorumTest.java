package cn.antifraud.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.app.config.GatewayConfig;
import cn.antifraud.gateway.app.config.GatewayConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, the admin side of the quorum: two gateways in this JVM form a cluster of two (default
 * quorum: both). When one stops, the other can no longer see a majority: registry writes and
 * {@code GET /cards} answer 503 naming the reason, and {@code /health} shows the cluster down.
 */
class GatewayNoQuorumTest {
    private static final String TOKEN = "no-quorum-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CARD = "{\"cardName\":\"北京市公安局反诈中心\",\"callReason\":\"反诈民警来电，请您接听\",\"agency\":\"北京市公安局\"}";
    /** Bound against hanging only; the wait ends as soon as the condition holds. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);
    private static final Random RANDOM = new Random();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theMemberLeftAloneAnswers503NamingTheMissingQuorum() throws Exception {
        String cluster = "no-quorum-" + System.nanoTime();
        int portA = freePort();
        int portB = freePort();
        GatewayConfig a = config("a", cluster, portA, portA, portB);
        GatewayConfig b = config("b", cluster, portB, portA, portB);
        // Each waits at start for its quorum (2), so they must start together.
        // Its own thread, not the common pool's: the start blocks until the quorum is there.
        CompletableFuture<Gateway> startingA = CompletableFuture.supplyAsync(() -> Gateway.start(a, TOKEN, Clock.systemUTC()),
                r -> new Thread(r, "start-a").start());
        Gateway second = Gateway.start(b, TOKEN, Clock.systemUTC());
        try (Gateway first = startingA.get()) {
            try {
                assertEquals(201, send(first, "PUT", "/v1/warning-numbers/010-6539-0001", CARD).statusCode());
                assertEquals(200, send(first, "GET", "/cards/01065390001", null).statusCode());
            } finally {
                second.close();
            }
            awaitClusterDown(first);

            HttpResponse<String> put = send(first, "PUT", "/v1/warning-numbers/010-6539-0002", CARD);
            assertEquals(503, put.statusCode(), put.body());
            assertEquals("registry: no quorum, 1 of 2 members visible (quorum 2)", JSON.readTree(put.body()).get("error").asText());
            HttpResponse<String> revoke = send(first, "DELETE", "/v1/warning-numbers/010-6539-0001", null);
            assertEquals(503, revoke.statusCode(), revoke.body());
            HttpResponse<String> card = send(first, "GET", "/cards/01065390001", null);
            assertEquals(503, card.statusCode(), "a card that cannot be confirmed current is not served: " + card.body());
            HttpResponse<String> read = send(first, "GET", "/v1/warning-numbers/010-6539-0001", null);
            assertEquals(200, read.statusCode(), "reads still answer: " + read.body());
        }
    }

    private void awaitClusterDown(Gateway gateway) throws Exception {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (true) {
            HttpResponse<String> h = send(gateway, "GET", "/health", null);
            JsonNode cluster = JSON.readTree(h.body()).get("components").get("cluster");
            if (h.statusCode() == 503 && "DOWN".equals(cluster.get("status").asText())) {
                assertTrue(cluster.get("detail").asText().contains("registry: no quorum, 1 of 2 members visible"), h.body());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("cluster still up after the peer stopped (hang guard): " + h.body());
            }
            Thread.sleep(50);
        }
    }

    private GatewayConfig config(String id, String cluster, int port, int portA, int portB) throws IOException {
        Path templates = Path.of("..", "config", "templates").toAbsolutePath().normalize();
        String yaml = "node: { id: " + id + ", data-dir: \"" + dir.resolve(id) + "\" }\n"
                + "cluster:\n  name: " + cluster + "\n  bind: \"127.0.0.1:" + port + "\"\n"
                + "  members: [\"127.0.0.1:" + portA + "\", \"127.0.0.1:" + portB + "\"]\n"
                + "sip:\n  listeners:\n    - { transport: udp, address: 127.0.0.1, port: 0 }\n"
                + "smpp:\n  smscs: []\n  templates: \"" + templates + "\"\n"
                + "admin: { bind: \"127.0.0.1:0\" }\n";
        Path file = dir.resolve(id + ".yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return new GatewayConfigLoader(name -> null).load(file);
    }

    private HttpResponse<String> send(Gateway gateway, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN);
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        r.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Below Linux's ephemeral range, so a member's outgoing connection cannot take the other's port first. */
    private static int freePort() throws IOException {
        for (int tries = 0; tries < 100; tries++) {
            int port = 20_000 + RANDOM.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException busy) {
                // Taken on this shared machine: try another.
            }
        }
        throw new IOException("no free port in 20000-31999 after 100 tries");
    }
}
