package cn.antifraud.gateway.app.admin;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.app.auth.Principal;
import cn.antifraud.gateway.registry.Change;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.NumberRegistry;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's resources: warning numbers, fraud numbers, family contacts, the audit log and the
 * public jCards. Each method blocks on the registry and runs on the API's worker pool.
 *
 * <p>A number may not be both a warning number and a fraud number: putting one that is listed as the
 * other is a 409, because a police number listed as fraudulent (or the reverse) is a data error that
 * would either warn subscribers about the police or brand a fraudster.
 */
final class RegistryResources {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final NumberRegistry registry;
    private final Clock clock;

    RegistryResources(NumberRegistry registry, Clock clock) {
        this.registry = requireNonNull(registry, "registry");
        this.clock = requireNonNull(clock, "clock");
    }

    // ---- warning numbers (反诈名片) -----------------------------------------------------------

    ApiResponse getWarningNumber(PhoneNumber n) {
        WarningNumber w = registry.warningNumber(n)
                .orElseThrow(() -> ApiException.notFound("warning number " + n + " is not registered"));
        return ApiResponse.json(HttpResponseStatus.OK, Views.warningNumber(w, clock.instant()));
    }

    ApiResponse putWarningNumber(PhoneNumber n, ApiRequest req, Principal who) {
        Instant now = clock.instant();
        JsonBody body = new JsonBody(req.body());
        body.phoneNumber("number").filter(b -> !b.equals(n)).ifPresent(b -> {
            throw ApiException.badRequest("number", "body number " + b + " differs from the path's " + n);
        });
        String cardName = body.string("cardName");
        String callReason = body.string("callReason");
        String agency = body.string("agency", WarningNumber.MAX_AGENCY);
        String logoUrl = body.optionalString("logoUrl", WarningNumber.MAX_LOGO_URL).map(RegistryResources::httpsUrl).orElse(null);
        Instant validFrom = body.instant("validFrom").orElse(now);
        Instant validUntil = body.instant("validUntil").orElse(null);
        String verifiedBy = body.optionalString("verifiedBy", WarningNumber.MAX_VERIFIED_BY).orElse(who.name());
        Instant verifiedAt = body.instant("verifiedAt").orElse(now);
        body.finish();
        if (cardName.codePointCount(0, cardName.length()) > WarningNumber.MAX_CARD_NAME) {
            throw ApiException.badRequest("cardName", "cardName must be at most " + WarningNumber.MAX_CARD_NAME + " characters");
        }
        if (callReason.codePointCount(0, callReason.length()) > WarningNumber.MAX_CALL_REASON) {
            throw ApiException.badRequest("callReason", "callReason must be at most " + WarningNumber.MAX_CALL_REASON
                    + " characters (RFC 9796 call-reason is shown on one line)");
        }
        if (validUntil != null && !validUntil.isAfter(validFrom)) {
            throw ApiException.badRequest("validUntil", "validUntil must be after validFrom");
        }
        Optional<FraudNumber> fraud = registry.fraudNumber(n);
        if (fraud.isPresent() && fraud.get().activeAt(now)) {
            throw ApiException.conflict("number", n + " is listed as a fraud number (case "
                    + fraud.get().caseReference() + "); remove that listing first");
        }
        WarningNumber record = new WarningNumber(n, cardName, callReason, agency, logoUrl, validFrom, validUntil,
                verifiedBy, verifiedAt, false);
        Change<WarningNumber> change = registry.putWarningNumber(record, who.name());
        return ApiResponse.json(change.created() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK,
                Views.warningNumber(change.after(), now));
    }

    ApiResponse revokeWarningNumber(PhoneNumber n, Principal who) {
        Change<WarningNumber> change = registry.revokeWarningNumber(n, who.name())
                .orElseThrow(() -> ApiException.notFound("warning number " + n + " is not registered"));
        return ApiResponse.json(HttpResponseStatus.OK, Views.warningNumber(change.after(), clock.instant()));
    }

    ApiResponse listWarningNumbers(ApiRequest req) {
        Instant now = clock.instant();
        Page<WarningNumber> page = registry.listWarningNumbers(cursor(req), limit(req));
        return ApiResponse.json(HttpResponseStatus.OK, Views.page(page, w -> Views.warningNumber(w, now)));
    }

    /** The public jCard, only while the number may be branded: a revoked card must not be served. */
    ApiResponse card(PhoneNumber n) {
        // The blocking read, not the hot-path brandableCard: that one answers a cold near-cache miss
        // with "no card" while it warms, and a handset fetching the card right after the INVITE must get it.
        Instant now = clock.instant();
        WarningNumber w = registry.currentCard(n, now)
                .orElseThrow(() -> ApiException.notFound("no card for " + n));
        return new ApiResponse(HttpResponseStatus.OK, JCard.MEDIA_TYPE, JCard.bytes(w), java.util.Map.of())
                .withHeader("Cache-Control", "max-age=60");
    }

    // ---- fraud numbers (涉案号码) --------------------------------------------------------------

    ApiResponse getFraudNumber(PhoneNumber n) {
        FraudNumber f = registry.fraudNumber(n)
                .orElseThrow(() -> ApiException.notFound("fraud number " + n + " is not listed"));
        return ApiResponse.json(HttpResponseStatus.OK, Views.fraudNumber(f, clock.instant()));
    }

    ApiResponse putFraudNumber(PhoneNumber n, ApiRequest req, Principal who) {
        Instant now = clock.instant();
        JsonBody body = new JsonBody(req.body());
        body.phoneNumber("number").filter(b -> !b.equals(n)).ifPresent(b -> {
            throw ApiException.badRequest("number", "body number " + b + " differs from the path's " + n);
        });
        FraudType type;
        String typeText = body.string("fraudType");
        try {
            type = FraudType.parse(typeText);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("fraudType", e.getMessage());
        }
        String caseReference = body.string("caseReference", FraudNumber.MAX_CASE_REFERENCE);
        Instant expires = body.instant("expires").orElse(null);
        boolean reject = body.bool("rejectCalls").orElse(false);
        body.finish();
        Optional<WarningNumber> warning = registry.warningNumber(n);
        if (warning.isPresent() && !warning.get().revoked()) {
            throw ApiException.conflict("number", n + " is a registered police warning number ("
                    + warning.get().cardName() + "); revoke it first");
        }
        Instant added = registry.fraudNumber(n).map(FraudNumber::added).orElse(now);
        Change<FraudNumber> change = registry.putFraudNumber(
                new FraudNumber(n, type, caseReference, added, expires, reject), who.name());
        return ApiResponse.json(change.created() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK,
                Views.fraudNumber(change.after(), now));
    }

    ApiResponse removeFraudNumber(PhoneNumber n, Principal who) {
        Change<FraudNumber> change = registry.removeFraudNumber(n, who.name())
                .orElseThrow(() -> ApiException.notFound("fraud number " + n + " is not listed"));
        return ApiResponse.json(HttpResponseStatus.OK, Views.fraudNumber(change.before(), clock.instant()));
    }

    ApiResponse listFraudNumbers(ApiRequest req) {
        Instant now = clock.instant();
        String cursor = cursor(req);
        if (cursor != null) {
            // Checked here so a cursor that is not a number is the caller's 400, not the registry's failure.
            JsonBody.parseNumber("cursor", cursor);
        }
        Page<FraudNumber> page = registry.listFraudNumbers(cursor, limit(req));
        // Streamed, not a tree: this is the listing that pages through millions (see FraudNumberPageJson).
        return new ApiResponse(HttpResponseStatus.OK, ApiResponse.JSON, FraudNumberPageJson.write(page, now), Map.of());
    }

    /** {@code GET /v1/fraud-numbers:count}: how many are listed (a database count, not a map scan). */
    ApiResponse countFraudNumbers() {
        return ApiResponse.json(HttpResponseStatus.OK, Json.object().put("count", registry.countFraudNumbers()));
    }

    // ---- family contacts (亲情联防) ------------------------------------------------------------

    ApiResponse getFamilyContacts(PhoneNumber n) {
        FamilyContacts c = registry.familyContacts(n)
                .orElseThrow(() -> ApiException.notFound("no family contacts for " + n));
        return ApiResponse.json(HttpResponseStatus.OK, Views.familyContacts(c));
    }

    ApiResponse putFamilyContacts(PhoneNumber n, ApiRequest req, Principal who) {
        JsonBody body = new JsonBody(req.body());
        body.phoneNumber("subscriber").filter(b -> !b.equals(n)).ifPresent(b -> {
            throw ApiException.badRequest("subscriber", "body subscriber " + b + " differs from the path's " + n);
        });
        List<PhoneNumber> contacts = body.phoneNumbers("contacts");
        boolean consent = body.bool("consent").orElseThrow(() -> ApiException.badRequest("consent",
                "consent is required: whether the subscriber agreed that these contacts are told"));
        Instant consentedAt = body.instant("consentedAt").orElse(null);
        body.finish();
        if (contacts.size() > FamilyContacts.MAX_CONTACTS) {
            throw ApiException.badRequest("contacts", "at most " + FamilyContacts.MAX_CONTACTS + " family contacts, got " + contacts.size());
        }
        if (contacts.contains(n)) {
            throw ApiException.badRequest("contacts", "a subscriber cannot be their own family contact");
        }
        if (contacts.stream().distinct().count() != contacts.size()) {
            throw ApiException.badRequest("contacts", "a contact is listed twice");
        }
        if (consent && consentedAt == null) {
            // Consent that was already given keeps its time: a repeated PUT is then identical, and a no-op.
            consentedAt = registry.familyContacts(n).filter(FamilyContacts::consent).map(FamilyContacts::consentedAt)
                    .orElse(clock.instant());
        }
        Change<FamilyContacts> change = registry.putFamilyContacts(
                new FamilyContacts(n, contacts, consent, consent ? consentedAt : null), who.name());
        return ApiResponse.json(change.created() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK,
                Views.familyContacts(change.after()));
    }

    ApiResponse removeFamilyContacts(PhoneNumber n, Principal who) {
        Change<FamilyContacts> change = registry.removeFamilyContacts(n, who.name())
                .orElseThrow(() -> ApiException.notFound("no family contacts for " + n));
        return ApiResponse.json(HttpResponseStatus.OK, Views.familyContacts(change.before()));
    }

    ApiResponse listFamilyContacts(ApiRequest req) {
        return ApiResponse.json(HttpResponseStatus.OK,
                Views.page(registry.listFamilyContacts(cursor(req), limit(req)), Views::familyContacts));
    }

    // ---- audit --------------------------------------------------------------------------------

    ApiResponse audit(ApiRequest req) {
        // "cursor" like every listing (nextCursor is the last id); "after" reads better in a URL by hand.
        String after = req.param("cursor") != null && !req.param("cursor").isEmpty() ? req.param("cursor") : req.param("after");
        long afterId = 0;
        if (after != null && !after.isEmpty()) {
            try {
                afterId = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("cursor", "cursor must be an audit record id, got '" + after + "'");
            }
        }
        var page = registry.audit(afterId, limit(req));
        return ApiResponse.json(HttpResponseStatus.OK, Views.page(page, Views::audit, page.nextCursor()));
    }

    // ---- paging -------------------------------------------------------------------------------

    private static String cursor(ApiRequest req) {
        return Cursors.decode(req.param("cursor"));
    }

    static int limit(ApiRequest req) {
        String l = req.param("limit");
        if (l == null || l.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(l);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, with the same message as an out-of-range number
        }
        throw ApiException.badRequest("limit", "limit must be 1-" + MAX_LIMIT + ", got '" + l + "'");
    }

    private static String httpsUrl(String s) {
        try {
            URI u = new URI(s);
            if ("https".equals(u.getScheme()) && u.getHost() != null) {
                return s;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw ApiException.badRequest("logoUrl", "logoUrl must be an https URL (RFC 9796 icons are fetched by handsets)");
    }
}
