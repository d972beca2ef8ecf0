package cn.antifraud.gateway.app.admin;

import cn.antifraud.gateway.registry.WarningNumber;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * A warning number's card as a jCard (RFC 7095: the JSON form of vCard 4.0, RFC 6350), served for the
 * {@code Call-Info: <URL>;purpose=jcard} that branded INVITEs carry (RFC 9796 §4.1). Media type
 * {@value #MEDIA_TYPE} (RFC 7095 §7).
 */
public final class JCard {
    static final String MEDIA_TYPE = "application/vcard+json";

    private JCard() {
    }

    /**
     * The exact bytes {@code GET /cards/{number}} serves for {@code w}; the RFC 9795 {@code rcdi}
     * digest of a signed card is taken over them.
     */
    public static byte[] bytes(WarningNumber w) {
        return Json.bytes(of(w));
    }

    static ArrayNode of(WarningNumber w) {
        ArrayNode props = Json.array();
        props.add(property("version", "text", "4.0"));
        props.add(property("kind", "text", "org"));
        props.add(property("fn", "text", w.cardName()));
        props.add(property("org", "text", w.agency()));
        ArrayNode tel = property("tel", "uri", "tel:" + w.number().e164());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tel.get(1)).put("type", "work");
        props.add(tel);
        props.add(property("note", "text", w.callReason()));
        if (w.logoUrl() != null) {
            props.add(property("logo", "uri", w.logoUrl()));
        }
        ArrayNode card = Json.array();
        card.add("vcard");
        card.add(props);
        return card;
    }

    /** {@code [name, {parameters}, type, value]} (RFC 7095 §3.3). */
    private static ArrayNode property(String name, String type, String value) {
        ArrayNode p = Json.array();
        p.add(name);
        p.addObject();
        p.add(type);
        p.add(value);
        return p;
    }
}
