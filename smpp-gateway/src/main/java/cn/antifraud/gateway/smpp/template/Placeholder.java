package cn.antifraud.gateway.smpp.template;

import java.util.Optional;

/** The placeholders a template may use, with the longest value each can take (for the one-part flash check). */
public enum Placeholder {
    /** The fraud type's handbook name, e.g. 冒充公检法. */
    FRAUD_TYPE("fraudType", 10),
    /** Last four digits of the fraud number; absent when the request named none. */
    FRAUD_LAST4("fraudLast4", 4),
    /** Last four digits of the protected subscriber, for the family template. */
    SUBSCRIBER_LAST4("subscriberLast4", 4);

    private final String token;
    private final int maxLength;

    Placeholder(String token, int maxLength) {
        this.token = token;
        this.maxLength = maxLength;
    }

    public String token() { return token; }

    public int maxLength() { return maxLength; }

    public static Optional<Placeholder> byToken(String token) {
        for (Placeholder p : values()) {
            if (p.token.equals(token)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
