package cn.antifraud.gateway.sip.identity;

import cn.antifraud.gateway.registry.WarningNumber;

/**
 * The exact bytes the card URL ({@code jcl}) serves for a card: the jCard (RFC 7095) that the admin
 * API returns for {@code GET /cards/{number}}. The {@code rcdi} digest is taken over these bytes, so
 * the function must be the one the HTTP route uses.
 */
@FunctionalInterface
public interface CardDocument {
    byte[] jcard(WarningNumber card);
}
