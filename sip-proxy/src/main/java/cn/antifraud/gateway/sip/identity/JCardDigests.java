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
        Entry e = byNumber.get(card.number());
        if (e == null || !e.card.equals(card)) {
            e = new Entry(card, integrity(documents.jcard(card)));
            byNumber.put(card.number(), e);
        }
        return e.digest;
    }

    /** The digest string of a jCard document's canonical form. */
    static String integrity(byte[] jcard) throws IdentityException {
        return IntegrityDigest.sha256(JsonCanonicalForm.of(jcard));
    }

    private record Entry(WarningNumber card, String digest) {
    }
}
