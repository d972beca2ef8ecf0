package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RFC 9795 {@code rcdi} value for each card's jCard: {@link IntegrityDigest#sha256} of the JCS
 * (RFC 8785) canonical form of the jCard the card URL serves ({@link JsonCanonicalForm}; RFC 9795
 * digests JSON content in its canonical form, so a verifier that re-serialises the jCard gets the
 * same bytes). Computed once per card version: an entry is reused while the registry returns an
 * equal {@link WarningNumber}, and recomputed when any field of the card changed.
 */
final class JCardDigests {
    private final CardDocument documents;
    private final ConcurrentHashMap<PhoneNumber, Entry> byNumber = new ConcurrentHashMap<>();

    JCardDigests(CardDocument documents) {
        this.documents = documents;
    }

    String digest(WarningNumber card) throws IdentityException {
        return entry(card).digest;
    }

    /**
     * The card's constant claims for {@code cardUrl}, serialised ({@link RcdClaims.CardPart}): cached
     * beside the digest, for the same card version and URL.
     */
    RcdClaims.CardPart claims(WarningNumber card, String cardUrl) throws IdentityException {
        Entry e = entry(card);
        UrlPart c = e.cached;
        if (c == null || !cardUrl.equals(c.url())) {
            c = new UrlPart(cardUrl, RcdClaims.CardPart.of(card.cardName(), cardUrl, e.digest, card.callReason()));
            // Racing writers store equal values; one volatile field keeps URL and claims together.
            e.cached = c;
        }
        return c.part();
    }

    private Entry entry(WarningNumber card) throws IdentityException {
        Entry e = byNumber.get(card.number());
        if (e == null || !e.card.equals(card)) {
            e = new Entry(card, integrity(documents.jcard(card)));
            byNumber.put(card.number(), e);
        }
        return e;
    }

    /** The digest string of a jCard document's canonical form. */
    static String integrity(byte[] jcard) throws IdentityException {
        return IntegrityDigest.sha256(JsonCanonicalForm.of(jcard));
    }

    private static final class Entry {
        final WarningNumber card;
        final String digest;
        volatile UrlPart cached;

        Entry(WarningNumber card, String digest) {
            this.card = card;
            this.digest = digest;
        }
    }

    private record UrlPart(String url, RcdClaims.CardPart part) {
    }
}
