package cn.antifraud.gateway.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.smpp.BindConfig;
import cn.antifraud.gateway.smpp.MobilePrefixes;
import cn.antifraud.gateway.smpp.SmppGateway;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.SmscConfig;
import cn.antifraud.gateway.smpp.template.WarningTemplates;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strict warning intake (issue 11) against a real SMS gateway on a one-member registry: the SMSC is a closed
 * port, so accepted warnings simply wait queued. Single posts and NDJSON batches.
 */
class WarningIntakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static RealRegistry registry;
    private static SmppGateway gateway;
    private static WarningsResource warnings;

    @BeforeAll
    static void start() throws IOException {
        registry = new RealRegistry(dataDir);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SmppGatewayConfig config = SmppGatewayConfig.builder()
                .addSmsc(SmscConfig.builder().name("nowhere").host("127.0.0.1").port(closedPort)
                        .addBind(BindConfig.builder().systemId("antifraud").password("secret").build()).build())
                // An operator's narrower plan: only 13x, 15x and 198 numbers.
                .mobilePrefixes(MobilePrefixes.of(List.of("13", "15", "198")))
                .build();
        Path templates = Files.isDirectory(Path.of("config", "templates")) ? Path.of("config", "templates") : Path.of("..", "config", "templates");
        gateway = new SmppGateway(config, WarningTemplates.load(templates), registry.workStores(), s -> Optional.empty(),
                new SimpleMeterRegistry());
        warnings = new WarningsResource(Optional.of(gateway.warnings()));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static ApiRequest request(String path, String contentType, String body) {
        return ApiRequest.of(HttpMethod.POST, path, "Bearer x", contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiException rejected(String contentType, String body) {
        return assertThrows(ApiException.class, () -> warnings.post(request("/v1/warnings", contentType, body)));
    }

    @Test
    void aChineseMobileSubscriberWithATierIsAccepted() throws IOException {
        ApiResponse r = warnings.post(request("/v1/warnings", "application/json; charset=utf-8",
                "{\"subscriber\":\"+86 138 0013 8000\",\"fraudType\":\"fake_investment\",\"tier\":1}"));
        assertEquals(202, r.status().code());
        assertEquals(1, JSON.readTree(r.body()).get("jobs").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"123", "96110", "010-12345678", "+1 212 555 0100", "14000000000", "19912345678", "1381234567"})
    void aSubscriberThatIsNotAMobileOfTheConfiguredPrefixesIs400(String subscriber) {
        ApiException e = rejected("application/json",
                "{\"subscriber\":\"" + subscriber + "\",\"fraudType\":\"fake_investment\",\"tier\":1}");
        assertEquals(400, e.status().code());
        assertEquals("subscriber", e.field(), e.getMessage());
    }

    @Test
    void aConfiguredThreeDigitPrefixIsAccepted() {
        assertEquals(202, warnings.post(request("/v1/warnings", "application/json",
                "{\"subscriber\":\"19812345678\",\"fraudType\":\"romance\",\"tier\":1}")).status().code());
    }

    @Test
    void aMissingTierIs400NotADefault() {
        ApiException e = rejected("application/json", "{\"subscriber\":\"13800138001\",\"fraudType\":\"fake_investment\"}");
        assertEquals(400, e.status().code());
        assertEquals("tier", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", ""})
    void aBodyThatIsNotDeclaredJsonIs415(String contentType) {
        ApiException e = rejected(contentType.isEmpty() ? null : contentType,
                "{\"subscriber\":\"13800138002\",\"fraudType\":\"fake_investment\",\"tier\":1}");
        assertEquals(415, e.status().code());
    }

    @Test
    void anErrorQuotesAtMost64CharactersOfTheBadValue() {
        String huge = "9".repeat(20_000);
        for (String body : List.of("{\"subscriber\":\"" + huge + "\",\"fraudType\":\"fake_investment\",\"tier\":1}",
                "{\"subscriber\":\"13800138003\",\"fraudType\":\"" + huge + "\",\"tier\":1}",
                "{\"subscriber\":\"13800138003\",\"fraudType\":\"fake_investment\",\"tier\":1,\"" + huge + "\":1}")) {
            ApiException e = rejected("application/json", body);
            assertEquals(400, e.status().code());
            assertTrue(e.getMessage().length() < 400, e.getMessage().length() + " characters: " + e.getMessage().substring(0, 100));
            assertTrue(e.getMessage().contains("9".repeat(64) + "…(20000 characters)"), e.getMessage());
        }
    }

    @Test
    void aBatchAnswersOneLinePerInputLineInOrder() throws IOException {
        String body = String.join("\n",
                "{\"subscriber\":\"13900139000\",\"fraudType\":\"fake_loan\",\"tier\":1}",
                "",
                "{\"subscriber\":\"010-12345678\",\"fraudType\":\"fake_loan\",\"tier\":1}",
                "{\"subscriber\":\"13900139001\",\"fraudType\":\"fake_loan\"}",
                "not json",
                "{\"subscriber\":\"13900139000\",\"fraudType\":\"fake_loan\",\"tier\":1}\r",
                "{\"subscriber\":\"15900139002\",\"fraudType\":\"fake_loan\",\"tier\":2}") + "\n";
        ApiResponse r = warnings.postBatch(request("/v1/warnings:batch", "application/x-ndjson", body));
        assertEquals(200, r.status().code());
        assertTrue(r.contentType().startsWith("application/x-ndjson"));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(List.of(1, 3, 4, 5, 6, 7), lines.stream().map(n -> n.get("line").asInt()).toList());
        assertEquals(List.of("accepted", "rejected", "rejected", "rejected", "duplicate", "accepted"),
                lines.stream().map(n -> n.get("result").asText()).toList());
        assertEquals("subscriber", lines.get(1).get("field").asText());
        assertEquals("tier", lines.get(2).get("field").asText());
        assertEquals(lines.get(0).get("id").asText(), lines.get(4).get("duplicateOf").asText());
    }

    @Test
    void aBatchThatIsNotNdjsonIs415() {
        ApiException e = assertThrows(ApiException.class, () -> warnings.postBatch(request("/v1/warnings:batch",
                "application/json", "{\"subscriber\":\"13900139000\",\"fraudType\":\"fake_loan\",\"tier\":1}")));
        assertEquals(415, e.status().code());
    }
}
