package cn.antifraud.gateway.smpp;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FraudType;
import cn.antifraud.gateway.registry.PhoneNumber;
import java.io.Serializable;
import java.util.Optional;

/**
 * "Warn this subscriber": from a police instruction ({@code POST /v1/warnings}) or from a contact event the
 * SIP proxy saw (分级预警). Tier 1 is a 12381 SMS to the subscriber; tier 2 adds a flash SMS and a 12381 SMS
 * to each consenting family contact (亲情联防预警).
 *
 * @param subscriber  the protected party
 * @param fraudType   which wording to use
 * @param tier        1 or 2 (tier 3, the police callback, is not an SMS)
 * @param fraudNumber the fraud number involved, when known; only its last four digits are ever sent
 * @param source      who asked
 */
public record WarningRequest(PhoneNumber subscriber, FraudType fraudType, int tier, PhoneNumber fraudNumber,
                             Source source) implements Serializable {

    /** Who asked for the warning. */
    public enum Source { POLICE, CONTACT_EVENT }

    public WarningRequest {
        requireNonNull(subscriber, "subscriber");
        requireNonNull(fraudType, "fraudType");
        requireNonNull(source, "source");
        if (tier != 1 && tier != 2) {
            throw new IllegalArgumentException("warning tier must be 1 or 2, got " + tier);
        }
    }

    public Optional<PhoneNumber> fraudNumberIfKnown() {
        return Optional.ofNullable(fraudNumber);
    }
}
