package cn.antifraud.gateway.app.admin;

import static cn.antifraud.gateway.app.admin.Access.open;
import static cn.antifraud.gateway.app.admin.Access.requires;
import static cn.antifraud.gateway.app.admin.BodyType.CSV_STREAM;
import static cn.antifraud.gateway.app.admin.BodyType.JSON;
import static cn.antifraud.gateway.app.admin.BodyType.NDJSON;
import static cn.antifraud.gateway.app.admin.BodyType.NONE;
import static cn.antifraud.gateway.app.admin.Pool.EVENT_LOOP;
import static cn.antifraud.gateway.app.admin.Pool.HEALTH;
import static cn.antifraud.gateway.app.admin.Pool.IMPORTS;
import static cn.antifraud.gateway.app.admin.Pool.REQUESTS;
import static cn.antifraud.gateway.app.auth.Permission.READ;
import static cn.antifraud.gateway.app.auth.Permission.READ_AUDIT;
import static cn.antifraud.gateway.app.auth.Permission.SEND_WARNINGS;
import static cn.antifraud.gateway.app.auth.Permission.WRITE_FAMILY_CONTACTS;
import static cn.antifraud.gateway.app.auth.Permission.WRITE_FRAUD_NUMBERS;
import static cn.antifraud.gateway.app.auth.Permission.WRITE_WARNING_NUMBERS;
import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;
import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.auth.Principal;
import cn.antifraud.gateway.app.auth.TokenAuthenticator;
import cn.antifraud.gateway.app.health.ComponentHealth;
import cn.antifraud.gateway.app.health.HealthProbe;
import cn.antifraud.gateway.app.health.HealthService;
import cn.antifraud.gateway.app.metrics.GatewayMetrics;
import cn.antifraud.gateway.registry.ContactEventQueries;
import cn.antifraud.gateway.registry.ImportJournal;
import cn.antifraud.gateway.registry.InvalidFieldException;
import cn.antifraud.gateway.registry.NoQuorumException;
import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.smpp.WarningService;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's routes, independent of Netty: a declarative table (method, path, access, body,
 * pool, handler; see {@link #table}) and the two steps every request goes through, whichever
 * transport carried it:
 * <ol>
 *   <li>{@link #admit}, on the event loop: route (404, 405), token and role (401, 403, RFC 6750), and
 *       body media type (415). Cheap, so refusals never wait for a pool.</li>
 *   <li>{@link #run}, on the route's {@link Pool}: the handler; body errors are 400, registry answers
 *       404/409, anything unexpected a logged 500.</li>
 * </ol>
 * Open routes: {@code GET /health}, {@code GET /metrics} and {@code GET /cards/{number}} (the jCard a
 * branded call's Call-Info points at, RFC 9796). A new resource is one line in {@link #table} plus
 * its handler.
 */
public final class AdminApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final TokenAuthenticator tokens;
    private final Router router;
    private final HealthProbe healthProbe;

    /** Path of the signing certificate chain (RFC 8225 §5.1.2 x5u; RFC 8555 §9.1 media type), unauthenticated. */
    public static final String SIGNING_CERTIFICATE_PATH = "/identity/cert.pem";

    private AdminApi(TokenAuthenticator tokens, HealthProbe healthProbe, List<Route> routes) {
        this.tokens = requireNonNull(tokens, "tokens");
        this.healthProbe = requireNonNull(healthProbe, "healthProbe");
        this.router = new Router(routes);
    }

    /**
     * Starts the health probe and waits (at most {@link HealthProbe#STALE_AFTER}) for its first report,
     * so that {@code /health}, answered on the event loop, never waits for one there.
     */
    void awaitHealthReport() {
        healthProbe.current();
    }

    /** Stops the health probe's thread. */
    @Override
    public void close() {
        healthProbe.close();
    }

    /**
     * The resources every node has; SMS warnings and contact events are added by the builder when the
     * node has them and answer 503 otherwise.
     */
    public static Builder builder(TokenAuthenticator tokens, NumberRegistry registry, ImportJournal importJournal,
                                  HealthService health, GatewayMetrics metrics, Clock clock) {
        return new Builder(tokens, registry, importJournal, health, metrics, clock);
    }

    /** Assembles the API from its collaborators; those a node may lack are optional here and nowhere else. */
    public static final class Builder {
        private final TokenAuthenticator tokens;
        private final NumberRegistry registry;
        private final HealthService health;
        private final GatewayMetrics metrics;
        private final Clock clock;
        private Optional<WarningService> warnings = Optional.empty();
        private Optional<ContactEventQueries> contactEvents = Optional.empty();
        private Optional<Supplier<String>> signingCertificate = Optional.empty();
        private final ImportJournal importJournal;

        private Builder(TokenAuthenticator tokens, NumberRegistry registry, ImportJournal importJournal,
                        HealthService health, GatewayMetrics metrics, Clock clock) {
            this.tokens = requireNonNull(tokens, "tokens");
            this.registry = requireNonNull(registry, "registry");
            this.importJournal = requireNonNull(importJournal, "importJournal");
            this.health = requireNonNull(health, "health");
            this.metrics = requireNonNull(metrics, "metrics");
            this.clock = requireNonNull(clock, "clock");
        }

        /** SMS warnings ({@code /v1/warnings}); without them those routes answer 503. */
        public Builder warnings(WarningService service) {
            this.warnings = Optional.of(service);
            return this;
        }

        /** Pending contact events ({@code /v1/contact-events}); without them that route answers 503. */
        public Builder contactEvents(ContactEventQueries events) {
            this.contactEvents = Optional.of(events);
            return this;
        }

        /**
         * The PEM chain of the Identity signing key, served at {@link #SIGNING_CERTIFICATE_PATH} (the x5u of
         * RFC 8225 §5.1.2); read at each request, so a reloaded key's chain is served at once. Without it, 404.
         */
        public Builder signingCertificate(Supplier<String> chainPem) {
            this.signingCertificate = Optional.of(requireNonNull(chainPem, "chainPem"));
            return this;
        }

        public AdminApi build() {
            HealthProbe probe = new HealthProbe(health);
            return new AdminApi(tokens, probe, table(this, probe));
        }
    }

    /** The route table. */
    private static List<Route> table(Builder b, HealthProbe health) {
        RegistryResources registry = new RegistryResources(b.registry, b.clock);
        WarningsResource warnings = new WarningsResource(b.warnings);
        ContactEventsResource events = new ContactEventsResource(b.contactEvents);
        FraudNumberImports imports = new FraudNumberImports(b.registry, b.importJournal, b.clock);
        GatewayMetrics metrics = b.metrics;
        return List.of(
            Route.of(GET, "/health", open(), NONE, EVENT_LOOP, c -> health(health)),
            Route.of(GET, "/metrics", open(), NONE, HEALTH,
                    c -> ApiResponse.text(HttpResponseStatus.OK, GatewayMetrics.CONTENT_TYPE, metrics.scrape())),
            Route.of(GET, "/cards/{number}", open(), NONE, REQUESTS, c -> registry.card(c.number("number"))),
            Route.of(GET, SIGNING_CERTIFICATE_PATH, open(), NONE, REQUESTS, c -> ApiResponse.text(HttpResponseStatus.OK,
                    "application/pem-certificate-chain", b.signingCertificate.orElseThrow(
                            () -> ApiException.notFound("identity signing is not configured")).get())),

            Route.of(GET, "/v1/warning-numbers", requires(READ), NONE, REQUESTS, c -> registry.listWarningNumbers(c.request())),
            Route.of(GET, "/v1/warning-numbers/{number}", requires(READ), NONE, REQUESTS,
                    c -> registry.getWarningNumber(c.number("number"))),
            Route.of(PUT, "/v1/warning-numbers/{number}", requires(WRITE_WARNING_NUMBERS), JSON, REQUESTS,
                    c -> registry.putWarningNumber(c.number("number"), c.request(), c.caller())),
            Route.of(DELETE, "/v1/warning-numbers/{number}", requires(WRITE_WARNING_NUMBERS), NONE, REQUESTS,
                    c -> registry.revokeWarningNumber(c.number("number"), c.caller())),

            Route.of(GET, "/v1/fraud-numbers", requires(READ), NONE, REQUESTS, c -> registry.listFraudNumbers(c.request())),
            Route.of(GET, "/v1/fraud-numbers:count", requires(READ), NONE, REQUESTS, c -> registry.countFraudNumbers()),
            Route.of(POST, "/v1/fraud-numbers:import", requires(WRITE_FRAUD_NUMBERS), CSV_STREAM, IMPORTS, imports::run),
            Route.of(GET, "/v1/fraud-numbers/{number}", requires(READ), NONE, REQUESTS,
                    c -> registry.getFraudNumber(c.number("number"))),
            Route.of(PUT, "/v1/fraud-numbers/{number}", requires(WRITE_FRAUD_NUMBERS), JSON, REQUESTS,
                    c -> registry.putFraudNumber(c.number("number"), c.request(), c.caller())),
            Route.of(DELETE, "/v1/fraud-numbers/{number}", requires(WRITE_FRAUD_NUMBERS), NONE, REQUESTS,
                    c -> registry.removeFraudNumber(c.number("number"), c.caller())),
            Route.of(GET, "/v1/imports", requires(READ), NONE, REQUESTS, c -> imports.list(c.request())),
            Route.of(GET, "/v1/imports/{id}", requires(READ), NONE, REQUESTS, c -> imports.get(c.text("id"))),

            Route.of(GET, "/v1/family-contacts", requires(READ), NONE, REQUESTS, c -> registry.listFamilyContacts(c.request())),
            Route.of(GET, "/v1/family-contacts/{subscriber}", requires(READ), NONE, REQUESTS,
                    c -> registry.getFamilyContacts(c.number("subscriber"))),
            Route.of(PUT, "/v1/family-contacts/{subscriber}", requires(WRITE_FAMILY_CONTACTS), JSON, REQUESTS,
                    c -> registry.putFamilyContacts(c.number("subscriber"), c.request(), c.caller())),
            Route.of(DELETE, "/v1/family-contacts/{subscriber}", requires(WRITE_FAMILY_CONTACTS), NONE, REQUESTS,
                    c -> registry.removeFamilyContacts(c.number("subscriber"), c.caller())),

            Route.of(GET, "/v1/audit", requires(READ_AUDIT), NONE, REQUESTS, c -> registry.audit(c.request())),
            Route.of(GET, "/v1/contact-events", requires(READ), NONE, REQUESTS, c -> events.list(c.request(), b.clock.instant())),
            Route.of(POST, "/v1/warnings", requires(SEND_WARNINGS), JSON, REQUESTS, c -> warnings.post(c.request())),
            Route.of(POST, "/v1/warnings:batch", requires(SEND_WARNINGS), NDJSON, REQUESTS, c -> warnings.postBatch(c.request())),
            Route.of(GET, "/v1/warnings/{id}", requires(SEND_WARNINGS), NONE, REQUESTS, c -> warnings.get(c.text("id"))));
    }

    /** A request admitted to its route, with its caller and path variables. */
    record Admitted(Route route, Principal caller, Map<String, String> variables) {
        Pool pool() {
            return route.pool();
        }

        boolean streamed() {
            return route.body().streamed();
        }
    }

    /**
     * Route, access and media type of a request, from its head alone.
     *
     * @throws ApiException 404, 405, 401, 403 or 415
     */
    Admitted admit(HttpMethod method, String path, String authorization, String contentType) {
        Router.Match m = router.resolve(method, path);
        Principal caller = m.route().access().admit(tokens, authorization);
        m.route().body().check(contentType);
        return new Admitted(m.route(), caller, m.variables());
    }

    /** Whether the request is for a route whose body is streamed (404/405 are false: the normal path answers them). */
    boolean isStreamed(HttpMethod method, String path) {
        try {
            return router.resolve(method, path).route().body().streamed();
        } catch (ApiException e) {
            return false;
        }
    }

    /** Runs an admitted request's handler; never throws. {@code stream} is the body of a streamed route. */
    ApiResponse run(Admitted a, ApiRequest req, InputStream stream) {
        try {
            return a.route().handler().handle(new Call(req, a.caller(), a.variables(), stream));
        } catch (ApiException e) {
            return ApiResponse.error(e);
        } catch (NoQuorumException e) {
            // Issue 13: a member cut off from its cluster refuses writes; say why, so the caller retries elsewhere.
            return ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage(), null);
        } catch (InvalidFieldException e) {
            // A record the registry refuses (e.g. a control character in a card name): the caller's field, not a 500.
            return ApiResponse.error(HttpResponseStatus.BAD_REQUEST, e.getMessage(), e.field());
        } catch (RuntimeException e) {
            // The caller gets a plain 500; the log gets the cause (never a body or token).
            LOG.error("admin {} {} failed: {}", req.method(), a.route().path(), e.toString(), e);
            return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error; see the gateway log", null);
        }
    }

    /** Admits and runs a request in the calling thread (tests, tools); never throws. */
    public ApiResponse handle(ApiRequest req) {
        Admitted a;
        try {
            a = admit(req.method(), req.path(), req.authorization(), req.contentType());
        } catch (ApiException e) {
            return ApiResponse.error(e);
        }
        return run(a, req, new ByteArrayInputStream(req.body()));
    }

    TokenAuthenticator tokens() {
        return tokens;
    }

    /**
     * The probe's last report (never a check on this thread: a database round trip or a pool wait would
     * make a balancer's probe as slow as the registry), with {@code ageMs}, how long ago it was taken.
     */
    private static ApiResponse health(HealthProbe health) {
        HealthProbe.Snapshot snapshot = health.current();
        HealthService.HealthReport report = snapshot.report();
        ObjectNode n = Json.object().put("status", report.up() ? "UP" : "DOWN").put("ageMs", snapshot.ageMillis());
        ObjectNode components = n.putObject("components");
        for (Map.Entry<String, ComponentHealth> e : report.components().entrySet()) {
            ObjectNode c = components.putObject(e.getKey())
                    .put("status", e.getValue().up() ? "UP" : "DOWN")
                    .put("detail", e.getValue().detail());
            if (!e.getValue().parts().isEmpty()) {
                e.getValue().parts().forEach(c.putArray("parts")::add);
            }
        }
        return ApiResponse.json(report.up() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, n);
    }
}
