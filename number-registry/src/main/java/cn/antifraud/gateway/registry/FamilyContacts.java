package cn.antifraud.gateway.registry;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A subscriber's family contacts for 亲情联防预警: when the subscriber is in a tier-2 contact with a
 * fraud number, each consenting contact gets a 12381 SMS too.
 *
 * @param subscriber  the protected subscriber
 * @param contacts    up to {@value #MAX_CONTACTS} numbers
 * @param consent     whether the subscriber consented to their family being told
 * @param consentedAt when consent was given; null without consent
 */
public record FamilyContacts(PhoneNumber subscriber, List<PhoneNumber> contacts, boolean consent, Instant consentedAt)
        implements Serializable {

    public static final int MAX_CONTACTS = 5;

    public FamilyContacts {
        Objects.requireNonNull(subscriber, "subscriber");
        consentedAt = StoredInstants.micros(consentedAt);
        contacts = List.copyOf(Objects.requireNonNull(contacts, "contacts"));
        if (contacts.size() > MAX_CONTACTS) {
            throw new IllegalArgumentException("at most " + MAX_CONTACTS + " family contacts, got " + contacts.size());
        }
        if (contacts.contains(subscriber)) {
            throw new IllegalArgumentException("a subscriber cannot be their own family contact");
        }
    }
}
