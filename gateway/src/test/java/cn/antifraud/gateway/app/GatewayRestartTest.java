package cn.antifraud.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.app.config.GatewayConfig;
import cn.antifraud.gateway.app.config.GatewayConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole gateway in-process, as bin/gateway starts it: registry member, SIP proxy, SMPP gateway
 * (pointed at a port where no SMSC listens) and admin API. A warning number added through the API
 * survives a stop and a start on the same data directory.
 */
class GatewayRestartTest {
    private static final String TOKEN = "restart-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMinutes(5)).build();

    private GatewayConfig config() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Path templates = Path.of("..", "config", "templates").toAbsolutePath().normalize();
        String yaml = "node: { id: restart-test, data-dir: \"" + dir.resolve("data") + "\" }\n"
                + "cluster: { name: restart-test-" + System.nanoTime() + ", bind: \"127.0.0.1:0\" }\n"
                + "sip:\n  listeners:\n    - { transport: udp, address: 127.0.0.1, port: 0 }\n"
                + "    - { transport: tcp, address: 127.0.0.1, port: 0 }\n"
                + "smpp:\n  smscs:\n    - name: nowhere\n      host: 127.0.0.1\n      port: " + deadPort + "\n"
                + "      binds: [ { system-id: esme, password: pw } ]\n"
                + "  templates: \"" + templates + "\"\n"
                + "admin: { bind: \"127.0.0.1:0\" }\n";
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return new GatewayConfigLoader(name -> null).load(file);
    }

    private HttpResponse<String> send(int port, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + TOKEN);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void aWarningNumberAddedThroughTheApiIsThereAfterARestart() throws Exception {
        GatewayConfig config = config();
        try (Gateway first = Gateway.start(config, TOKEN, Clock.systemUTC())) {
            HttpResponse<String> put = send(first.adminPort(), "PUT", "/v1/warning-numbers/010-6539-0001",
                    "{\"cardName\":\"北京市公安局反诈中心\",\"callReason\":\"反诈民警来电，请您接听\",\"agency\":\"北京市公安局\"}");
            assertEquals(201, put.statusCode(), put.body());
        }
        try (Gateway second = Gateway.start(config, TOKEN, Clock.systemUTC())) {
            HttpResponse<String> get = send(second.adminPort(), "GET", "/v1/warning-numbers/+86%2010%206539%200001", null);
            assertEquals(200, get.statusCode(), get.body());
            JsonNode n = JSON.readTree(get.body());
            assertEquals("+861065390001", n.get("number").asText());
            assertEquals("北京市公安局反诈中心", n.get("cardName").asText());
            assertEquals("bootstrap-admin", n.get("verifiedBy").asText());
        }
    }

    @Test
    void itStaysUpWithoutAnSmscAndHealthSaysSo() throws Exception {
        try (Gateway gateway = Gateway.start(config(), TOKEN, Clock.systemUTC())) {
            HttpResponse<String> h = send(gateway.adminPort(), "GET", "/health", null);
            assertEquals(503, h.statusCode(), h.body());
            JsonNode c = JSON.readTree(h.body()).get("components");
            assertEquals("DOWN", c.get("smpp").get("status").asText(), h.body());
            assertTrue(c.get("smpp").get("detail").asText().contains("0 of 1 binds up"), h.body());
            assertEquals("UP", c.get("cluster").get("status").asText(), h.body());
            assertEquals("UP", c.get("database").get("status").asText(), h.body());
            assertEquals("UP", c.get("sip").get("status").asText(), h.body());
            assertEquals(2, gateway.sipAddresses().size());
            HttpResponse<String> m = send(gateway.adminPort(), "GET", "/metrics", null);
            assertTrue(m.body().contains("hazelcast_cluster_members"), "Hazelcast meters in /metrics");
            assertTrue(m.body().contains("cache_gets_total") || m.body().contains("cache_entries"), "map meters in /metrics");
        }
    }
}
