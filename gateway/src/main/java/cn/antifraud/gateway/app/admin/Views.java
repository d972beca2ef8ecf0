package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.registry.AuditRecord;
import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.FraudNumber;
import cn.antifraud.gateway.registry.ImportRecord;
import cn.antifraud.gateway.registry.Page;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.function.Function;

/** The API's JSON form of registry records (camelCase fields, E.164 numbers, ISO-8601 instants). */
final class Views {
    private Views() {
    }

    static ObjectNode warningNumber(WarningNumber w, Instant now) {
        return Json.object()
                .put("number", w.number().e164())
                .put("cardName", w.cardName())
                .put("callReason", w.callReason())
                .put("agency", w.agency())
                .put("logoUrl", w.logoUrl())
                .put("validFrom", Json.instant(w.validFrom()))
                .put("validUntil", Json.instant(w.validUntil()))
                .put("verifiedBy", w.verifiedBy())
                .put("verifiedAt", Json.instant(w.verifiedAt()))
                .put("revoked", w.revoked())
                .put("brandable", w.brandableAt(now));
    }

    static ObjectNode fraudNumber(FraudNumber f, Instant now) {
        return Json.object()
                .put("number", f.number().e164())
                .put("fraudType", f.fraudType().code())
                .put("fraudTypeName", f.fraudType().chineseName())
                .put("caseReference", f.caseReference())
                .put("added", Json.instant(f.added()))
                .put("expires", Json.instant(f.expires()))
                .put("rejectCalls", f.rejectCalls())
                .put("active", f.activeAt(now));
    }

    static ObjectNode familyContacts(FamilyContacts c) {
        ObjectNode n = Json.object().put("subscriber", c.subscriber().e164());
        ArrayNode contacts = n.putArray("contacts");
        for (PhoneNumber p : c.contacts()) {
            contacts.add(p.e164());
        }
        return n.put("consent", c.consent()).put("consentedAt", Json.instant(c.consentedAt()));
    }

    static ObjectNode audit(AuditRecord a) {
        ObjectNode n = Json.object()
                .put("id", a.id())
                .put("at", Json.instant(a.at()))
                .put("actor", a.actor())
                .put("action", a.action())
                .put("entity", a.entity())
                .put("key", a.key());
        n.set("before", Json.raw(a.before()));
        n.set("after", Json.raw(a.after()));
        return n;
    }

    /** A page whose cursor is made URL-safe (base64url): a raw "+86..." key would turn into a space in a query. */
    static <T> ObjectNode page(Page<T> page, Function<T, ObjectNode> view) {
        return page(page, view, Cursors.encode(page.nextCursor()));
    }

    static <T> ObjectNode page(Page<T> page, Function<T, ObjectNode> view, String nextCursor) {
        ObjectNode n = Json.object();
        ArrayNode items = n.putArray("items");
        page.items().forEach(t -> items.add(view.apply(t)));
        return n.put("nextCursor", nextCursor);
    }

    static ObjectNode importRecord(ImportRecord r) {
        ObjectNode n = Json.object()
                .put("id", r.id())
                .put("state", r.state().name())
                .put("actor", r.actor())
                .put("node", r.node())
                .put("started", Json.instant(r.started()))
                .put("ended", Json.instant(r.ended().orElse(null)))
                .put("rowsRead", r.rowsRead())
                .put("stored", r.stored())
                .put("rejected", r.rejected());
        r.errors().forEach(n.putArray("firstErrors")::add);
        if (!r.detail().isEmpty()) {
            n.put("detail", r.detail());
        }
        return n;
    }
}
