package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.auth.Permission;
import cn.antifraud.gateway.app.auth.Principal;
import cn.antifraud.gateway.app.auth.TokenAuthenticator;
import cn.antifraud.gateway.app.health.ComponentHealth;
import cn.antifraud.gateway.app.health.HealthService;
import cn.antifraud.gateway.app.metrics.GatewayMetrics;
import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.cluster.HazelcastContactEventLog;
import cn.antifraud.gateway.smpp.WarningService;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's routes, independent of Netty: a request in, a response out. Runs on the worker pool
 * because registry calls block.
 *
 * <p>Order of checks under {@code /v1}: token (401), route (404), method (405), role (403), body
 * (400), then the registry (404, 409). Unauthenticated: {@code GET /health}, {@code GET /metrics} and
 * {@code GET /cards/{number}} (the jCard a branded call's Call-Info points at, RFC 9796).
 */
public final class AdminApi {
    static final String IMPORT_PATH = "/v1/fraud-numbers:import";
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final TokenAuthenticator tokens;
    private final RegistryResources registry;
    private final WarningsResource warnings;
    private final ContactEventsResource contactEvents;
    private final HealthService health;
    private final Clock clock;
    private final GatewayMetrics metrics;

    /** @param warnings null when SMPP is not configured */
    public AdminApi(TokenAuthenticator tokens, NumberRegistry registry, WarningService warnings, HealthService health,
                    GatewayMetrics metrics, Clock clock) {
        this(tokens, registry, warnings, null, health, metrics, clock);
    }

    /**
     * @param warnings      null when SMPP is not configured
     * @param contactEvents null when the node has no contact-event log ({@code /v1/contact-events} answers 503)
     */
    public AdminApi(TokenAuthenticator tokens, NumberRegistry registry, WarningService warnings,
                    HazelcastContactEventLog contactEvents, HealthService health, GatewayMetrics metrics, Clock clock) {
        this.tokens = requireNonNull(tokens, "tokens");
        this.registry = new RegistryResources(requireNonNull(registry, "registry"), clock);
        this.warnings = new WarningsResource(warnings);
        this.contactEvents = new ContactEventsResource(contactEvents);
        this.health = requireNonNull(health, "health");
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
    }

    TokenAuthenticator tokens() {
        return tokens;
    }

    /** Answers one request; never throws. */
    public ApiResponse handle(ApiRequest req) {
        try {
            return route(req);
        } catch (MethodNotAllowed e) {
            return e.response();
        } catch (ApiException e) {
            return errorResponse(e);
        } catch (RuntimeException e) {
            // The caller gets a plain 500; the log gets the cause (never a body or token).
            LOG.error("admin {} {} failed: {}", req.method(), req.path(), e.toString(), e);
            return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error; see the gateway log", null);
        }
    }

    private ApiResponse route(ApiRequest req) {
        String path = req.path();
        HttpMethod m = req.method();
        if (path.equals("/health")) {
            allow(m, Set.of(HttpMethod.GET));
            return health();
        }
        if (path.equals("/metrics")) {
            allow(m, Set.of(HttpMethod.GET));
            return ApiResponse.text(HttpResponseStatus.OK, GatewayMetrics.CONTENT_TYPE, metrics.scrape());
        }
        if (path.startsWith("/cards/")) {
            allow(m, Set.of(HttpMethod.GET));
            return registry.card(number(path.substring("/cards/".length()), "number"));
        }
        if (!path.startsWith("/v1/") && !path.equals("/v1")) {
            throw ApiException.notFound("no such resource: " + path);
        }
        Principal who = authenticate(req);
        return routeV1(req, who);
    }

    /** The principal of the request's bearer token. */
    Principal authenticate(ApiRequest req) {
        return tokens.authenticate(req.authorization()).orElseThrow(() -> new ApiException(
                HttpResponseStatus.UNAUTHORIZED, req.authorization() == null
                ? "Authorization: Bearer TOKEN is required" : "the token is not valid", "Authorization"));
    }

    private ApiResponse routeV1(ApiRequest req, Principal who) {
        String path = req.path();
        HttpMethod m = req.method();
        if (path.equals(IMPORT_PATH)) {
            // POST is streamed by CsvImportHandler and never reaches here.
            allow(m, Set.of(HttpMethod.POST));
            throw ApiException.badRequest(null, "the import body must be text/csv");
        }
        String[] seg = path.substring(1).split("/", -1);
        if (seg.length < 2 || seg.length > 3 || (seg.length == 3 && seg[2].isEmpty())) {
            throw ApiException.notFound("no such resource: " + path);
        }
        String collection = seg[1];
        boolean item = seg.length == 3;
        switch (collection) {
            case "warning-numbers":
                if (!item) {
                    allow(m, Set.of(HttpMethod.GET));
                    permit(who, Permission.READ);
                    return registry.listWarningNumbers(req);
                }
                allow(m, Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE));
                permit(who, m == HttpMethod.GET ? Permission.READ : Permission.WRITE_WARNING_NUMBERS);
                PhoneNumber w = number(seg[2], "number");
                return m == HttpMethod.GET ? registry.getWarningNumber(w)
                        : m == HttpMethod.PUT ? registry.putWarningNumber(w, req, who)
                        : registry.revokeWarningNumber(w, who);
            case "fraud-numbers":
                if (!item) {
                    allow(m, Set.of(HttpMethod.GET));
                    permit(who, Permission.READ);
                    return registry.listFraudNumbers(req);
                }
                allow(m, Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE));
                permit(who, m == HttpMethod.GET ? Permission.READ : Permission.WRITE_FRAUD_NUMBERS);
                PhoneNumber f = number(seg[2], "number");
                return m == HttpMethod.GET ? registry.getFraudNumber(f)
                        : m == HttpMethod.PUT ? registry.putFraudNumber(f, req, who)
                        : registry.removeFraudNumber(f, who);
            case "family-contacts":
                if (!item) {
                    allow(m, Set.of(HttpMethod.GET));
                    permit(who, Permission.READ);
                    return registry.listFamilyContacts(req);
                }
                allow(m, Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE));
                permit(who, m == HttpMethod.GET ? Permission.READ : Permission.WRITE_FAMILY_CONTACTS);
                PhoneNumber s = number(seg[2], "subscriber");
                return m == HttpMethod.GET ? registry.getFamilyContacts(s)
                        : m == HttpMethod.PUT ? registry.putFamilyContacts(s, req, who)
                        : registry.removeFamilyContacts(s, who);
            case "audit":
                if (item) {
                    throw ApiException.notFound("no such resource: " + path);
                }
                allow(m, Set.of(HttpMethod.GET));
                permit(who, Permission.READ_AUDIT);
                return registry.audit(req);
            case "contact-events":
                if (item) {
                    throw ApiException.notFound("no such resource: " + path);
                }
                allow(m, Set.of(HttpMethod.GET));
                permit(who, Permission.READ);
                return contactEvents.list(req, clock.instant());
            case "warnings:batch":
                if (item) {
                    throw ApiException.notFound("no such resource: " + path);
                }
                allow(m, Set.of(HttpMethod.POST));
                permit(who, Permission.SEND_WARNINGS);
                return warnings.postBatch(req);
            case "warnings":
                if (!item) {
                    allow(m, Set.of(HttpMethod.POST));
                    permit(who, Permission.SEND_WARNINGS);
                    return warnings.post(req);
                }
                allow(m, Set.of(HttpMethod.GET));
                permit(who, Permission.SEND_WARNINGS);
                return warnings.get(seg[2]);
            default:
                throw ApiException.notFound("no such resource: " + path);
        }
    }

    private ApiResponse health() {
        HealthService.HealthReport report = health.report();
        ObjectNode n = Json.object().put("status", report.up() ? "UP" : "DOWN");
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

    static void permit(Principal who, Permission p) {
        if (!who.role().permits(p)) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "role " + who.role().code() + " may not do this ("
                    + p.name().toLowerCase(java.util.Locale.ROOT) + ")", null);
        }
    }

    private static void allow(HttpMethod m, Set<HttpMethod> allowed) {
        if (!allowed.contains(m)) {
            throw new MethodNotAllowed(allowed);
        }
    }

    private static PhoneNumber number(String segment, String field) {
        return JsonBody.parseNumber(field, segment);
    }

    /** 405 with the Allow header (RFC 9110 §15.5.6). */
    static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String allow;

        MethodNotAllowed(Set<HttpMethod> allowed) {
            super("method not allowed", null, false, false);
            this.allow = String.join(", ", allowed.stream().map(HttpMethod::name).sorted().toList());
        }

        ApiResponse response() {
            return ApiResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; allowed: " + allow, null)
                    .withHeader("Allow", allow);
        }
    }

    /**
     * For the streaming import: the caller's principal when it may import fraud numbers.
     *
     * @throws ApiException 401 or 403
     */
    Principal authorizeImport(String authorization) {
        Principal who = tokens.authenticate(authorization).orElseThrow(() -> new ApiException(
                HttpResponseStatus.UNAUTHORIZED, authorization == null
                ? "Authorization: Bearer TOKEN is required" : "the token is not valid", "Authorization"));
        permit(who, Permission.WRITE_FRAUD_NUMBERS);
        return who;
    }

    /** The JSON error; a 401 also says which scheme to use (RFC 6750 §3). */
    static ApiResponse errorResponse(ApiException e) {
        ApiResponse r = ApiResponse.error(e);
        return e.status().equals(HttpResponseStatus.UNAUTHORIZED) ? r.withHeader("WWW-Authenticate", "Bearer") : r;
    }
}
