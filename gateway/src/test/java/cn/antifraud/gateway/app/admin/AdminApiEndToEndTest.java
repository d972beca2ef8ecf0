package cn.antifraud.gateway.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.antifraud.gateway.app.auth.Role;
import cn.antifraud.gateway.app.auth.TokenAuthenticator;
import cn.antifraud.gateway.app.auth.TokenEntry;
import cn.antifraud.gateway.app.health.ComponentHealth;
import cn.antifraud.gateway.app.health.HealthCheck;
import cn.antifraud.gateway.app.health.HealthService;
import cn.antifraud.gateway.app.metrics.GatewayMetrics;
import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumbers;
import cn.antifraud.gateway.registry.WarningNumber;
import cn.antifraud.gateway.registry.cluster.HazelcastNumberRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over a real socket (port 0) with a real registry: one Hazelcast member written through
 * to H2 in a temporary folder.
 */
class AdminApiEndToEndTest {
    private static final int MAX_BODY = 4 * 1024;
    private static final long MAX_IMPORT = 64L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-token";
    private static final String POLICE = "police-token";
    private static final String REGISTRAR = "registrar-token";
    private static final String READER = "reader-token";
    private static final String CARD = "{\"cardName\":\"深圳市公安局反诈中心\",\"callReason\":\"反诈民警来电，请您接听\",\"agency\":\"深圳市公安局\"}";

    @TempDir
    static Path dataDir;

    private static RealRegistry registry;
    private static GatewayMetrics metrics;
    private static AdminServer server;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() {
        registry = new RealRegistry(dataDir);
        metrics = new GatewayMetrics();
        HealthService health = new HealthService();
        health.register(HealthCheck.of("cluster", () -> ComponentHealth.up("1 member")));
        TokenAuthenticator tokens = new TokenAuthenticator(List.of(
                entry("ops-admin", Role.ADMIN, ADMIN), entry("sz-police", Role.POLICE, POLICE),
                entry("carrier-registrar", Role.REGISTRAR, REGISTRAR), entry("noc-reader", Role.READER, READER)));
        AdminApi api = AdminApi.builder(tokens, registry.registry(), registry.imports(), health, metrics, Clock.systemUTC())
                .contactEvents(registry.contactEventQueries()).build();
        server = new AdminServer(api, new AdminServer.Options("127.0.0.1", 0, MAX_BODY, MAX_IMPORT, 4, 64, 2, 2,
                Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofMinutes(10)),
                metrics.registry());
        server.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMinutes(5)).build();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
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

    private static TokenEntry entry(String name, Role role, String token) {
        return new TokenEntry(name, role, TokenAuthenticator.sha256(token));
    }

    private static HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> json(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        return send(method, path, token, body == null ? null : "application/json", body);
    }

    private static JsonNode body(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String field) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode n = body(r);
        assertTrue(n.hasNonNull("error"), r.body());
        assertFalse(r.body().contains("Exception"), "no stack trace or exception name: " + r.body());
        if (field != null) {
            assertEquals(field, n.path("field").asText(), r.body());
        }
    }

    @Test
    void putThenGetAWarningNumberInAnyNotation() throws Exception {
        HttpResponse<String> put = json("PUT", "/v1/warning-numbers/+86%20139%201234%200001", POLICE, CARD);
        assertEquals(201, put.statusCode(), put.body());
        HttpResponse<String> get = json("GET", "/v1/warning-numbers/13912340001", READER, null);
        assertEquals(200, get.statusCode(), get.body());
        JsonNode n = body(get);
        assertEquals("+8613912340001", n.get("number").asText());
        assertEquals("深圳市公安局反诈中心", n.get("cardName").asText());
        assertEquals("sz-police", n.get("verifiedBy").asText());
        assertTrue(n.get("brandable").asBoolean());
        assertEquals(200, json("PUT", "/v1/warning-numbers/13912340001", POLICE, CARD).statusCode(), "second PUT updates");
    }

    @Test
    void deleteRevokesAndKeepsTheRecordAndTheCardDisappears() throws Exception {
        assertEquals(201, json("PUT", "/v1/warning-numbers/13912340002", ADMIN, CARD).statusCode());
        HttpResponse<String> card = send("GET", "/cards/13912340002", null, null, null);
        assertEquals(200, card.statusCode(), card.body());
        assertEquals("application/vcard+json", card.headers().firstValue("content-type").orElse(""));
        JsonNode jcard = body(card);
        assertEquals("vcard", jcard.get(0).asText());
        assertTrue(card.body().contains("[\"fn\",{},\"text\",\"深圳市公安局反诈中心\"]"), card.body());
        assertTrue(card.body().contains("tel:+8613912340002"), card.body());

        HttpResponse<String> revoke = json("DELETE", "/v1/warning-numbers/13912340002", POLICE, null);
        assertEquals(200, revoke.statusCode(), revoke.body());
        assertTrue(body(revoke).get("revoked").asBoolean());
        JsonNode kept = body(json("GET", "/v1/warning-numbers/13912340002", READER, null));
        assertTrue(kept.get("revoked").asBoolean(), "the record is kept, marked revoked");
        assertFalse(kept.get("brandable").asBoolean());
        assertError(send("GET", "/cards/13912340002", null, null, null), 404, null);
    }

    @Test
    void everyChangeIsAuditedWithTheTokenName() throws Exception {
        assertEquals(201, json("PUT", "/v1/fraud-numbers/17100000042", REGISTRAR,
                "{\"fraudType\":\"romance\",\"caseReference\":\"AUDIT-1\"}").statusCode());
        assertEquals(200, json("DELETE", "/v1/fraud-numbers/17100000042", REGISTRAR, null).statusCode());
        String cursor = "";
        boolean sawPut = false;
        boolean sawDelete = false;
        do {
            JsonNode page = body(json("GET", "/v1/audit?limit=100&cursor=" + cursor, ADMIN, null));
            for (JsonNode a : page.get("items")) {
                if (a.get("key").asText().equals("+8617100000042")) {
                    assertEquals("carrier-registrar", a.get("actor").asText());
                    sawPut |= a.get("action").asText().equals("PUT") && a.get("after").get("caseReference").asText().equals("AUDIT-1");
                    sawDelete |= a.get("action").asText().equals("DELETE") && a.get("after").isNull();
                }
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertTrue(sawPut, "PUT audited with its after image");
        assertTrue(sawDelete, "DELETE audited");
    }

    @Test
    void noTokenOrAnUnknownTokenIs401() throws Exception {
        HttpResponse<String> none = json("GET", "/v1/warning-numbers", null, null);
        assertError(none, 401, "Authorization");
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertError(json("GET", "/v1/warning-numbers", "not-a-token", null), 401, "Authorization");
        assertError(send("POST", "/v1/fraud-numbers:import", null, "text/csv", "17100000001,romance,C\n"), 401, "Authorization");
    }

    @Test
    void aRoleWithoutThePermissionIs403() throws Exception {
        assertError(json("PUT", "/v1/warning-numbers/13912340003", READER, CARD), 403, null);
        assertError(json("PUT", "/v1/warning-numbers/13912340003", REGISTRAR, CARD), 403, null);
        assertError(json("PUT", "/v1/family-contacts/13912340003", POLICE, "{\"contacts\":[],\"consent\":false}"), 403, null);
        assertError(json("GET", "/v1/audit", POLICE, null), 403, null);
        assertError(send("POST", "/v1/fraud-numbers:import", READER, "text/csv", "17100000001,romance,C\n"), 403, null);
        assertEquals(404, json("GET", "/v1/warning-numbers/13912340003", READER, null).statusCode(), "nothing was written");
    }

    @Test
    void badInputIs400NamingTheField() throws Exception {
        assertError(json("GET", "/v1/warning-numbers/12ab", READER, null), 400, "number");
        assertError(json("PUT", "/v1/warning-numbers/13912340004", POLICE, "{\"cardName\":\"x\",\"agency\":\"y\"}"), 400, "callReason");
        assertError(json("PUT", "/v1/warning-numbers/13912340004", POLICE,
                CARD.replace("}", ",\"validUtil\":\"2030-01-01T00:00:00Z\"}")), 400, "validUtil");
        assertError(json("PUT", "/v1/warning-numbers/13912340004", POLICE,
                CARD.replace("}", ",\"validUntil\":\"next year\"}")), 400, "validUntil");
        assertError(json("PUT", "/v1/warning-numbers/13912340004", POLICE,
                CARD.replace("反诈民警来电，请您接听", "来".repeat(65))), 400, "callReason");
        assertError(json("PUT", "/v1/fraud-numbers/17100000005", POLICE, "{\"fraudType\":\"phishing\",\"caseReference\":\"C\"}"), 400, "fraudType");
        assertError(json("PUT", "/v1/family-contacts/13800138001", REGISTRAR,
                "{\"contacts\":[\"13900000001\",\"bad\"],\"consent\":true}"), 400, "contacts[1]");
        assertError(json("PUT", "/v1/warning-numbers/13912340004", POLICE, "not json"), 400, null);
        assertError(json("GET", "/v1/warning-numbers?limit=0", READER, null), 400, "limit");
    }

    @Test
    void aRepeatedFamilyContactsPutKeepsTheTimeConsentWasGiven() throws Exception {
        String body = "{\"contacts\":[\"13900139000\"],\"consent\":true}";
        HttpResponse<String> first = json("PUT", "/v1/family-contacts/13800138199", REGISTRAR, body);
        assertEquals(201, first.statusCode());
        HttpResponse<String> again = json("PUT", "/v1/family-contacts/13800138199", REGISTRAR, body);
        assertEquals(200, again.statusCode());
        // Without consentedAt in the body, consent already given keeps its time, so the PUT is identical (a no-op).
        assertEquals(body(first).get("consentedAt").asText(), body(again).get("consentedAt").asText());
    }

    @Test
    void unknownRecordsAre404() throws Exception {
        assertError(json("GET", "/v1/warning-numbers/13912349999", READER, null), 404, null);
        assertError(json("DELETE", "/v1/warning-numbers/13912349999", POLICE, null), 404, null);
        assertError(json("GET", "/v1/fraud-numbers/17199999999", READER, null), 404, null);
        assertError(json("GET", "/v1/family-contacts/13899999999", READER, null), 404, null);
        assertError(json("GET", "/v1/no-such-thing", READER, null), 404, null);
        assertError(send("GET", "/cards/13912349999", null, null, null), 404, null);
    }

    @Test
    void aNumberCannotBeBothAWarningNumberAndAFraudNumber() throws Exception {
        assertEquals(201, json("PUT", "/v1/fraud-numbers/17100000006", POLICE,
                "{\"fraudType\":\"impersonating_authorities\",\"caseReference\":\"C-6\"}").statusCode());
        assertError(json("PUT", "/v1/warning-numbers/17100000006", POLICE, CARD), 409, "number");
        assertEquals(201, json("PUT", "/v1/warning-numbers/13912340007", POLICE, CARD).statusCode());
        assertError(json("PUT", "/v1/fraud-numbers/13912340007", POLICE,
                "{\"fraudType\":\"romance\",\"caseReference\":\"C-7\"}"), 409, "number");
    }

    @Test
    void aJsonBodyOverTheLimitIs413() throws Exception {
        String big = CARD.replace("}", ",\"padding\":\"" + "x".repeat(MAX_BODY) + "\"}");
        assertError(json("PUT", "/v1/warning-numbers/13912340008", POLICE, big), 413, null);
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = json("POST", "/v1/warning-numbers/13912340009", POLICE, CARD);
        assertError(r, 405, null);
        assertEquals("DELETE, GET, PUT", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void listingsArePagedByCursor() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, json("PUT", "/v1/family-contacts/1380013810" + i, REGISTRAR,
                    "{\"contacts\":[\"13900139000\"],\"consent\":true}").statusCode());
        }
        int seen = 0;
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = body(json("GET", "/v1/family-contacts?limit=2&cursor=" + cursor, READER, null));
            seen += page.get("items").size();
            pages++;
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertTrue(seen >= 5, "all five listed, got " + seen);
        assertTrue(pages >= 3, "two per page, got " + pages + " pages");
    }

    @Test
    void healthAndMetricsNeedNoToken() throws Exception {
        HttpResponse<String> h = send("GET", "/health", null, null, null);
        assertEquals(200, h.statusCode(), h.body());
        assertEquals("UP", body(h).get("components").get("cluster").get("status").asText());
        HttpResponse<String> m = send("GET", "/metrics", null, null, null);
        assertEquals(200, m.statusCode());
        assertTrue(m.body().contains("jvm_memory_used_bytes"), "JVM meters present");
    }

    @Test
    void pendingContactEventsAreListedByEitherNumber() throws Exception {
        ContactEvent event = new ContactEvent("evt-77", PhoneNumbers.parse("13800138077"), PhoneNumbers.parse("17000000077"),
                ContactEvent.Direction.FRAUD_TO_SUBSCRIBER, "call-77@10.0.0.1", Instant.parse("2026-11-22T10:00:00Z"),
                "police-trunk", FraudType.FAKE_INVESTMENT);
        registry.contactEvents().publish(event).toCompletableFuture().get(5, TimeUnit.MINUTES);

        HttpResponse<String> bySubscriber = json("GET", "/v1/contact-events?number=138%200013%208077", READER, null);
        assertEquals(200, bySubscriber.statusCode(), bySubscriber.body());
        JsonNode item = body(bySubscriber).get("items").get(0);
        assertEquals("+8613800138077", item.get("subscriber").asText());
        assertEquals("+8617000000077", item.get("fraudNumber").asText());
        assertEquals("fraud_to_subscriber", item.get("direction").asText());
        assertEquals("call-77@10.0.0.1", item.get("callId").asText());
        assertEquals("fake_investment", item.get("fraudType").asText());
        assertEquals("pending", item.get("state").asText());
        assertEquals(1, body(json("GET", "/v1/contact-events?number=17000000077", READER, null)).get("items").size());
        assertEquals(0, body(json("GET", "/v1/contact-events?number=13900000077", READER, null)).get("items").size());

        HttpResponse<String> noNumber = json("GET", "/v1/contact-events", READER, null);
        assertEquals(400, noNumber.statusCode());
        assertEquals("number", body(noNumber).get("field").asText());
        assertEquals(401, json("GET", "/v1/contact-events?number=17000000077", null, null).statusCode());
        assertEquals(404, json("GET", "/v1/contact-events/evt-77", READER, null).statusCode());
    }

    /**
     * 20,000 rows, about 800 KB, against a 4 KiB aggregator limit: it can only succeed because the
     * import handler streams the body instead of aggregating it. (200,000 rows took minutes on H2 once
     * every commit is written to the file; the million-row figure is a benchmark, not a unit test.)
     */
    @Test
    void aCsvImportFarLargerThanTheAggregatorLimitIsStreamed() throws Exception {
        int rows = 20_000;
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/fraud-numbers:import"))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + REGISTRAR)
                .header("Content-Type", "text/csv; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedCsv(rows)))
                .build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode n = body(r);
        assertEquals(rows, n.get("stored").asLong(), r.body());
        assertEquals(1, n.get("rejected").asLong(), "the one bad row is counted: " + r.body());
        assertTrue(n.get("firstErrors").get(0).asText().contains("line 1002"), r.body());
        assertTrue(GeneratedCsv.SIZE_PER_ROW * rows > 100L * MAX_BODY);
        assertEquals(200, json("GET", "/v1/fraud-numbers/" + GeneratedCsv.number(rows - 1), READER, null).statusCode());
        assertTrue(registry.registry().fraudNumber(PhoneNumbers.parse(GeneratedCsv.number(0))).isPresent());
    }

    @Test
    void anImportOverItsOwnLimitIs413AndOtherMediaTypesAre415() throws Exception {
        HttpRequest tooBig = HttpRequest.newBuilder(URI.create(base + "/v1/fraud-numbers:import"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) MAX_IMPORT + 1])).build();
        HttpResponse<String> r;
        try {
            r = http.send(tooBig, HttpResponse.BodyHandlers.ofString());
            assertError(r, 413, null);
        } catch (IOException e) {
            // The server may close before the client finished sending: the 413 was answered then.
            assertTrue(e.getMessage() == null || !e.getMessage().isEmpty());
        }
        assertError(send("POST", "/v1/fraud-numbers:import", ADMIN, "application/json", "[]"), 415, "Content-Type");
    }

    @Test
    void badPercentEncodingIs400AndTheConnectionIsAnswered() throws Exception {
        for (String path : List.of("/v1/warning-numbers/%zz", "/v1/fraud-numbers?cursor=%4", "/cards/%E4%zz")) {
            String status = RawHttp.statusLine(server.port(), "GET " + path + " HTTP/1.1\r\nHost: t\r\n"
                    + "Authorization: Bearer " + READER + "\r\n\r\n");
            assertEquals("HTTP/1.1 400 Bad Request", status, path);
        }
    }

    @Test
    void jsonBodiesMustBeApplicationJson() throws Exception {
        String fraud = "{\"fraudType\":\"romance\",\"caseReference\":\"C-415\"}";
        assertError(send("PUT", "/v1/fraud-numbers/17100000415", REGISTRAR, "text/plain", fraud), 415, "Content-Type");
        assertError(send("PUT", "/v1/fraud-numbers/17100000415", REGISTRAR, null, fraud), 415, "Content-Type");
        assertError(send("PUT", "/v1/fraud-numbers/17100000415", REGISTRAR, "text/csv", fraud), 415, "Content-Type");
        assertEquals(404, json("GET", "/v1/fraud-numbers/17100000415", READER, null).statusCode(), "nothing stored");
        assertEquals(201, send("PUT", "/v1/fraud-numbers/17100000415", REGISTRAR, "application/json; charset=utf-8",
                fraud).statusCode());
    }

    @Test
    void fieldsLongerThanTheirColumnAre400NamingTheField() throws Exception {
        String longRef = "沪".repeat(FraudNumber.MAX_CASE_REFERENCE + 1);
        assertError(json("PUT", "/v1/fraud-numbers/17100000416", REGISTRAR,
                "{\"fraudType\":\"romance\",\"caseReference\":\"" + longRef + "\"}"), 400, "caseReference");
        assertEquals(404, json("GET", "/v1/fraud-numbers/17100000416", READER, null).statusCode());
        String longAgency = "a".repeat(WarningNumber.MAX_AGENCY + 1);
        assertError(json("PUT", "/v1/warning-numbers/13912340416", POLICE, "{\"cardName\":\"深圳反诈\",\"callReason\":\"反诈来电\","
                + "\"agency\":\"" + longAgency + "\"}"), 400, "agency");
    }

    /** {@code GET /v1/imports}: every import run, newest first, in keyset pages; reader role; a forged cursor is 400. */
    @Test
    void importRunsAreListedNewestFirstInPages() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String csv = "number,fraud_type,case_reference,expires,reject_calls\n17300000" + String.format("%03d", i)
                    + ",romance,L-" + i + ",,false\n";
            HttpResponse<String> r = send("POST", "/v1/fraud-numbers:import", REGISTRAR, "text/csv", csv);
            assertEquals(200, r.statusCode(), r.body());
            ids.add(body(r).get("id").asText());
        }
        List<String> listed = new java.util.ArrayList<>();
        List<String> started = new java.util.ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = body(json("GET", "/v1/imports?limit=2&cursor=" + cursor, READER, null));
            assertTrue(page.get("items").size() <= 2, page.toString());
            for (JsonNode rec : page.get("items")) {
                listed.add(rec.get("id").asText());
                started.add(rec.get("started").asText());
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 1000);
        assertEquals(listed.size(), new java.util.HashSet<>(listed).size(), "no run is listed twice: " + listed);
        for (int i = 1; i < started.size(); i++) {
            assertTrue(java.time.Instant.parse(started.get(i - 1)).compareTo(java.time.Instant.parse(started.get(i))) >= 0,
                    "newest first: " + started);
        }
        int a = listed.indexOf(ids.get(2));
        int b = listed.indexOf(ids.get(1));
        int c = listed.indexOf(ids.get(0));
        assertTrue(a >= 0 && a < b && b < c, "the three runs, newest first: " + ids + " in " + listed);
        assertEquals(400, json("GET", "/v1/imports?cursor=bm90LWEtY3Vyc29y", READER, null).statusCode());
        assertEquals(401, json("GET", "/v1/imports", null, null).statusCode());
    }

    /**
     * The failing CSV: a 300-character case reference and a 100 KB field in the middle. Both
     * rows are rejected and echoed short; the rest is stored; the import has a record and two audit
     * entries under its id.
     */
    @Test
    void anImportIsRecordedAuditedAndBadRowsAreCountedNotFatal() throws Exception {
        String csv = "number,fraud_type,case_reference,expires,reject_calls\n"
                + "17200000001,romance,R-1,,false\n"
                + "17200000002,romance,R-2,,false\n"
                + "17200000003,romance," + "x".repeat(300) + ",,false\n"
                + "17200000004,romance,R-4,,false\n"
                + "17200000005,romance,R-5,," + "y".repeat(100_000) + "\n"
                + "17200000006,romance,R-6,,true\n";
        HttpResponse<String> r = send("POST", "/v1/fraud-numbers:import", REGISTRAR, "text/csv", csv);
        assertEquals(200, r.statusCode(), r.body().length() > 2000 ? r.body().substring(0, 2000) : r.body());
        assertTrue(r.body().length() < 2_000, "no rejected row comes back whole");
        JsonNode n = body(r);
        assertEquals(4, n.get("stored").asLong());
        assertEquals(2, n.get("rejected").asLong());
        assertEquals(6, n.get("rowsRead").asLong());
        assertEquals("FINISHED", n.get("state").asText());
        String first = n.get("firstErrors").get(0).asText();
        assertTrue(first.startsWith("line 4: case_reference: "), first);
        assertTrue(n.get("firstErrors").get(1).asText().startsWith("line 6: reject_calls: "), r.body());
        for (JsonNode e : n.get("firstErrors")) {
            assertTrue(e.asText().length() <= "line 6: ".length() + 64 + 3, e.asText());
        }
        String id = n.get("id").asText();

        JsonNode rec = body(json("GET", "/v1/imports/" + id, READER, null));
        assertEquals("FINISHED", rec.get("state").asText());
        assertEquals(4, rec.get("stored").asLong());
        assertEquals("carrier-registrar", rec.get("actor").asText());
        assertTrue(rec.get("ended").isTextual());
        assertEquals(404, json("GET", "/v1/imports/no-such-import", READER, null).statusCode());

        List<String> actions = new java.util.ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = body(json("GET", "/v1/audit?limit=1000&cursor=" + cursor, ADMIN, null));
            for (JsonNode a : page.get("items")) {
                if (a.get("key").asText().equals(id)) {
                    actions.add(a.get("action").asText());
                }
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertEquals(List.of("IMPORT_START", "IMPORT"), actions);
        assertEquals(200, json("GET", "/v1/fraud-numbers/17200000006", READER, null).statusCode());
        assertEquals(404, json("GET", "/v1/fraud-numbers/17200000003", READER, null).statusCode());
    }

    /**
     * A row the database refuses half-way (a constraint the parser does not know) fails the import: the
     * answer and the record name the first line not stored and the last line read, the batches before it
     * are stored and listed, nothing after it is.
     */
    @Test
    void anImportTheDatabaseRefusesHalfWaySaysWhichLinesAreNotStored() throws Exception {
        int batch = HazelcastNumberRegistry.IMPORT_BATCH;
        int rows = 2 * batch + batch / 2;
        StringBuilder csv = new StringBuilder("number,fraud_type,case_reference,expires,reject_calls\n# a comment line\n");
        for (int i = 0; i < rows; i++) {
            // Row i is on line i + 3. One row of the third batch (the last, partial) is refused by the database.
            csv.append(String.format("174%08d", i)).append(",romance,").append(i == 2 * batch + 499 ? "POISON-E2E" : "H-" + i)
                    .append(",,false\n");
        }
        execute("ALTER TABLE fraud_number ADD CONSTRAINT test_refuses_poison CHECK (case_reference <> 'POISON-E2E')");
        HttpResponse<String> r;
        try {
            r = send("POST", "/v1/fraud-numbers:import", REGISTRAR, "text/csv", csv.toString());
        } finally {
            execute("ALTER TABLE fraud_number DROP CONSTRAINT test_refuses_poison");
        }

        assertEquals(500, r.statusCode(), r.body());
        JsonNode n = body(r);
        assertEquals(2 * batch, n.get("stored").asLong());
        assertEquals(2 * batch + 3, n.get("firstLineNotStored").asLong(), "after the header, a comment and two batches");
        assertEquals(rows + 2, n.get("lastLineRead").asLong(), "the failing batch's last line");
        JsonNode rec = body(json("GET", "/v1/imports/" + n.get("id").asText(), READER, null));
        assertEquals("FAILED", rec.get("state").asText());
        assertEquals(2 * batch, rec.get("stored").asLong());
        assertTrue(rec.get("detail").asText().contains("lines " + (2 * batch + 3) + " to " + (rows + 2)
                + " were read but not all stored"), rec.get("detail").asText());
        assertEquals(200, json("GET", "/v1/fraud-numbers/" + String.format("174%08d", 2 * batch - 1), READER, null)
                .statusCode(), "the last row of the second batch: stored");
        assertEquals(404, json("GET", "/v1/fraud-numbers/" + String.format("174%08d", 2 * batch), READER, null)
                .statusCode(), "the first row of the failing batch: not stored");
    }

    /** The same file posted twice: both imports finish and store every row; the rows are there once. */
    @Test
    void reimportingTheSameFileFinishesAgainWithTheSameRows() throws Exception {
        StringBuilder csv = new StringBuilder("number,fraud_type,case_reference,expires,reject_calls\n");
        for (int i = 0; i < 2_500; i++) {
            csv.append(String.format("175%08d", i)).append(",fake_loan,AGAIN-").append(i).append(",,true\n");
        }
        for (int round = 0; round < 2; round++) {
            HttpResponse<String> r = send("POST", "/v1/fraud-numbers:import", REGISTRAR, "text/csv", csv.toString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(2_500, body(r).get("stored").asLong());
            assertEquals("FINISHED", body(r).get("state").asText());
        }
        JsonNode one = body(json("GET", "/v1/fraud-numbers/17500001234", READER, null));
        assertEquals("AGAIN-1234", one.get("caseReference").asText());
        JsonNode page = body(json("GET", "/v1/fraud-numbers?limit=1000&cursor=" + Cursors.encode("+8617499999999"), READER, null));
        assertEquals("+8617500000000", page.get("items").get(0).get("number").asText());
        assertEquals("+8617500000999", page.get("items").get(999).get("number").asText(), "each row once, in key order");
    }

    private static void execute(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = registry.stores().dataSource().getConnection();
             java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void fraudNumbersAreListedInKeyOrderAndCounted() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, json("PUT", "/v1/fraud-numbers/1730000000" + i, REGISTRAR,
                    "{\"fraudType\":\"romance\",\"caseReference\":\"L-" + i + "\"}").statusCode());
        }
        List<String> listed = new java.util.ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = body(json("GET", "/v1/fraud-numbers?limit=1000&cursor=" + cursor, READER, null));
            page.get("items").forEach(item -> listed.add(item.get("number").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertEquals(listed.stream().sorted().distinct().toList(), listed, "key order, each once");
        for (int i = 0; i < 5; i++) {
            assertTrue(listed.contains("+861730000000" + i));
        }
        long count = body(json("GET", "/v1/fraud-numbers:count", READER, null)).get("count").asLong();
        assertTrue(count >= listed.size() - 5 && count >= 5, "count " + count + ", listed " + listed.size());
        assertError(json("GET", "/v1/fraud-numbers?cursor=" + Cursors.encode("not a number"), READER, null), 400, "cursor");
    }

    /** CSV rows made as they are read, so the test holds no large body either. */
    static final class GeneratedCsv extends InputStream {
        static final int SIZE_PER_ROW = 40;
        private final int rows;
        private int row = -1;
        private byte[] line = "number,fraud_type,case_reference,expires,reject_calls\n".getBytes(StandardCharsets.UTF_8);
        private int pos;

        GeneratedCsv(int rows) {
            this.rows = rows;
        }

        static String number(int i) {
            return "166" + String.format("%08d", i);
        }

        @Override
        public int read() {
            if (pos == line.length) {
                row++;
                if (row > rows) {
                    return -1;
                }
                // Line 1002 (row 1000 after the header... plus the extra bad row) is malformed on purpose.
                String text = row == 1000 ? "not-a-number,romance,BAD\n"
                        : number(row < 1000 ? row : row - 1) + ",brushing_rebate,IMPORT-" + row + ",,false\n";
                line = text.getBytes(StandardCharsets.UTF_8);
                pos = 0;
            }
            return line[pos++] & 0xff;
        }
    }
}
