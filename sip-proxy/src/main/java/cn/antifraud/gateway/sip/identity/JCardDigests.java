package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.registry.WarningNumber;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RFC 9795 integrity value of each card's jCard, {@code sha256-} followed by the base64 of the
 * SHA-256 of the document's bytes (the W3C Subresource Integrity form RFC 9795 adopts for
 * {@code rcdi}). Computed once per card version: an entry is reused while the registry returns an
 * equal {@link WarningNumber}, and recomputed when any field of the card changed.
 */
final class JCardDigests {
    private final CardDocument documents;
    private final ConcurrentHashMap<PhoneNumber, Entry> byNumber = new ConcurrentHashMap<>();

    JCardDigests(CardDocument documents) {
        this.documents = documents;
    }

    String digest(WarningNumber card) {
        Entry e = byNumber.get(card.number());
        if (e == null || !e.card.equals(card)) {
            e = new Entry(card, integrity(documents.jcard(card)));
            byNumber.put(card.number(), e);
        }
        return e.digest;
    }

    static String integrity(byte[] content) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    private record Entry(WarningNumber card, String digest) {
    }
}
