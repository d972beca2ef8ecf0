package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.registry.ContactEvent;
import cn.antifraud.gateway.registry.ContactEventQueries;
import cn.antifraud.gateway.registry.PendingContactEvent;
import cn.antifraud.gateway.registry.PhoneNumber;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /v1/contact-events?number=N[&limit=L]}: the contact events (a call between a subscriber
 * and a listed fraud number, seen by the SIP proxy) that are still pending, that is not yet turned into
 * a warning by an SMPP node, in which N is the subscriber or the fraud number, newest first. For an
 * operator checking that a call was caught; an event leaves this list once its warning is stored.
 */
final class ContactEventsResource {
    private final Optional<ContactEventQueries> events;

    /** @param events empty when the node has no contact-event log (answers 503) */
    ContactEventsResource(Optional<ContactEventQueries> events) {
        this.events = events;
    }

    ApiResponse list(ApiRequest req, Instant now) {
        ContactEventQueries log = events.orElseThrow(() -> new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "contact events are not available on this node", null));
        String raw = req.param("number");
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest("number", "number is required: the subscriber or the fraud number");
        }
        PhoneNumber number = JsonBody.parseNumber("number", raw);
        List<PendingContactEvent> found = log.pendingInvolving(number, RegistryResources.limit(req), now);
        ObjectNode n = Json.object();
        ArrayNode items = n.putArray("items");
        for (PendingContactEvent e : found) {
            ContactEvent c = e.event();
            items.addObject()
                    .put("id", c.id())
                    .put("subscriber", c.subscriber().e164())
                    .put("fraudNumber", c.fraudNumber().e164())
                    .put("fraudType", c.fraudType().code())
                    .put("direction", c.direction().name().toLowerCase(Locale.ROOT))
                    .put("callId", c.callId())
                    .put("at", Json.instant(c.at()))
                    .put("ingress", c.ingress())
                    .put("tier", c.tier())
                    .put("state", e.claimedBy().map(by -> "claimed by " + by).orElse("pending"));
        }
        return ApiResponse.json(HttpResponseStatus.OK, n);
    }
}
